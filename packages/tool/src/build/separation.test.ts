import type { Metafile } from 'esbuild'
import { describe, expect, it } from 'vitest'
import { checkSeparation, formatViolations } from './separation.ts'

function meta(inputs: string[], externals: string[] = []): Metafile {
  return {
    inputs: Object.fromEntries(inputs.map((p) => [p, { bytes: 1, imports: [] }])),
    outputs: {
      'out.mjs': {
        bytes: 1,
        inputs: {},
        imports: externals.map((path) => ({ path, kind: 'import-statement' as const, external: true })),
        exports: [],
        entryPoint: 'x',
      },
    },
  }
}

describe('checkSeparation', () => {
  it.each([
    [
      'lambda',
      ['../../packages/manifold/src/lambda/handle.ts', '../../packages/manifold/src/http/handle.ts'],
      [],
      [],
    ],
    ['lambda', ['node_modules/manifold/dist/cli/run.js'], [], ['cli']],
    ['lambda', ['../../packages/manifold/src/mcp/tools.ts'], [], ['mcp']],
    ['server', ['node_modules/@modelcontextprotocol/server/dist/index.mjs'], [], ['mcp']],
    ['server', ['src/app.ts'], ['@modelcontextprotocol/server'], ['mcp']],
    ['server', ['../../packages/manifold/src/http/serve.ts'], ['node:http'], []],
    ['cli', ['../../packages/manifold/src/http/serve.ts'], [], ['http-server']],
    ['cli', ['src/app.ts'], ['node:http'], ['http-server']],
    ['cli', ['src/app.ts'], ['https'], ['http-server']],
    [
      'cli',
      ['../../packages/manifold/src/http/handle.ts', 'node_modules/@modelcontextprotocol/server/x.mjs'],
      [],
      [],
    ],
    [
      'mcp',
      ['node_modules/manifold/dist/cli/run.js', 'node_modules/manifold/dist/http/serve.js'],
      ['node:http'],
      [],
    ],
    // An app's own src/cli folder is not manifold's CLI parser.
    ['lambda', ['src/cli/format.ts'], [], []],
    // From a fixture inside the workspace, paths climb to manifold's sources without "packages/".
    ['server', ['../../../../manifold/src/cli/run.ts'], [], ['cli']],
  ] as const)(
    'checkSeparation finds in the %s bundle of %j (externals %j): %j',
    (entry, inputs, externals, found) => {
      const violations = checkSeparation(entry, meta([...inputs], [...externals]), {
        root: '/work/packages/tool/test/fixtures/x',
      })
      expect(violations.map((v) => v.surface)).toEqual(found)
    },
  )

  it('checkSeparation honours an allowance and formats what it found', () => {
    const m = meta(['../../packages/manifold/src/mcp/handler.ts', '../../packages/manifold/src/cli/run.ts'])
    expect(checkSeparation('lambda', m, { allow: ['mcp'] }).map((v) => v.surface)).toEqual(['cli'])
    expect(formatViolations(checkSeparation('lambda', m))).toBe(
      'The "lambda" bundle contains the CLI parser (manifold/cli): "../../packages/manifold/src/cli/run.ts"\n' +
        'The "lambda" bundle contains MCP code (manifold/mcp, @modelcontextprotocol): "../../packages/manifold/src/mcp/handler.ts"',
    )
  })
})
