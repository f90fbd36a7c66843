import { describe, expect, it } from 'vitest'
import { defaultExternal, parseSize, toConfig } from './config.ts'

const root = '/app'
const base = { name: '@acme/notes', manifold: { cli: 'src/bin/cli.ts', lambda: 'src/bin/lambda.ts' } }

describe('toConfig', () => {
  it('toConfig resolves entries, the output folder and the default externals', () => {
    const config = toConfig(root, base)
    expect(config.name).toBe('notes')
    expect(config.entries).toEqual({ cli: '/app/src/bin/cli.ts', lambda: '/app/src/bin/lambda.ts' })
    expect(config.outDir).toBe('/app/dist')
    expect(config.external).toEqual(defaultExternal)
    expect(config.lambda).toMatchObject({
      runtime: 'nodejs22.x',
      functionUrl: false,
      sqs: undefined,
      events: {},
    })
  })

  it('toConfig reads budgets, externals, allowances and deploy bindings', () => {
    const config = toConfig(root, {
      name: 'x',
      manifold: {
        server: 'server.ts',
        external: ['pg'],
        budgets: { server: '40 KB', lambda: { gzip: 1000 } },
        allow: { lambda: ['mcp'] },
        deploy: { sqs: { op: 'import' }, events: { 'Scheduled Event': 'cleanup' }, schedule: 'rate(1 day)' },
      },
    })
    expect(config.budgets).toEqual({ server: { raw: 40960 }, lambda: { gzip: 1000 } })
    expect(config.external).toContain('pg')
    expect(config.allow).toEqual({ lambda: ['mcp'] })
    expect(config.lambda.sqs).toEqual({ queue: 'Queue', op: 'import', batchSize: 10 })
    expect(config.lambda.schedule).toBe('rate(1 day)')
  })

  it.each([
    ['no manifold field', { name: 'x' }, /No "manifold" field in \/app\/package.json/],
    ['no entry', { manifold: {} }, /names no entry/],
    ['an unknown key', { manifold: { cli: 'a.ts', clii: 'b.ts' } }, /Unknown key "manifold.clii"/],
    ['an entry that is not a path', { manifold: { cli: 3 } }, /Cannot read "manifold.cli": expected a path/],
    ['a bad budget', { manifold: { cli: 'a.ts', budgets: { cli: 'big' } } }, /budget "cli".*got "big"/],
    [
      'a budget for no entry',
      { manifold: { cli: 'a.ts', budgets: { worker: 1 } } },
      /Unknown budget entry "worker"/,
    ],
    ['a bad runtime', { manifold: { cli: 'a.ts', deploy: { runtime: 'nodejs18.x' } } }, /got "nodejs18.x"/],
    [
      'a schedule without a binding',
      { manifold: { cli: 'a.ts', deploy: { schedule: 'rate(1 day)' } } },
      /no operation is bound to "Scheduled Event"/,
    ],
    ['a bad queue id', { manifold: { cli: 'a.ts', deploy: { sqs: { queue: 'my-queue' } } } }, /logical id/],
    [
      'a bad batch size',
      { manifold: { cli: 'a.ts', deploy: { sqs: { batchSize: 0 } } } },
      /from 1 to 10000, got 0/,
    ],
  ])('toConfig rejects %s with a usage error', (_, pkg, message) => {
    expect(() => toConfig(root, pkg)).toThrow(message)
    try {
      toConfig(root, pkg)
    } catch (error) {
      expect(error).toMatchObject({ code: 'usage' })
    }
  })
})

describe('parseSize', () => {
  it.each([
    ['40 KB', 40960],
    ['1.5mb', 1572864],
    ['512', 512],
    [2048, 2048],
  ] as const)('parseSize reads %s', (input, bytes) => {
    expect(parseSize(input, 'x')).toBe(bytes)
  })
})
