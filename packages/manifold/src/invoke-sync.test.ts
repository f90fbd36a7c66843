import {
  app,
  createLogger,
  invoke,
  type Logger,
  type ManifoldError,
  middleware,
  op,
  type StandardSchemaV1,
} from 'manifold'
import { describe, expect, it } from 'vitest'
import * as z from 'zod'
import { runOperation } from './invoke.ts'

/** The same schema with a `validate` that always answers through a promise. */
function asyncOf<S extends StandardSchemaV1>(schema: S): S {
  return {
    '~standard': {
      ...schema['~standard'],
      validate: async (value: unknown) => schema['~standard'].validate(value),
    },
  } as S
}

async function outcome(promise: Promise<unknown>): Promise<unknown> {
  try {
    return { value: await promise }
  } catch (error) {
    const e = error as ManifoldError
    return { code: e.code, message: e.message, errors: e.errors }
  }
}

const Input = z.object({ text: z.string().min(1), times: z.number().int().default(1) })
const Output = z.object({ text: z.string() })

function echoApp(input: StandardSchemaV1, output: StandardSchemaV1, async: boolean) {
  const echo = op({
    name: 'echo',
    input,
    output,
    handler: (i: unknown) => {
      const { text, times } = i as { text: string; times: number }
      const value = { text: text.repeat(times) }
      return async ? Promise.resolve(value) : value
    },
  })
  return app({ name: 'echo', version: '1', operations: [echo], validateOutput: true })
}

describe('runOperation() and invoke(): the synchronous fast path', () => {
  const sync = echoApp(Input, Output, false)
  const pending = echoApp(asyncOf(Input), asyncOf(Output), true)

  it.each([
    ['valid input', { text: 'ab', times: 2 }],
    ['a default applied', { text: 'a' }],
    ['invalid fields', { text: '', times: 1.5 }],
    ['no object at all', undefined],
  ])(
    'invoke() gives the same outcome for %s with sync and async schemas and handlers',
    async (_name, input) => {
      const log = createLogger({ level: 'silent' })
      const a = await outcome(invoke(sync, 'echo', input as never, { log }))
      const b = await outcome(invoke(pending, 'echo', input as never, { log }))
      expect(a).toEqual(b)
    },
  )

  it('runOperation() returns the output itself when the schema and the handler are synchronous', async () => {
    await invoke(sync, 'echo', { text: 'x' })
    expect(runOperation(sync, 'echo', { text: 'ab', times: 2 })).toEqual({ text: 'abab' })
    expect(() => runOperation(sync, 'echo', { text: '' })).toThrow(/Invalid input: text/)
  })

  it('runOperation() returns a promise once a step is asynchronous, and rejects with the same error', async () => {
    await invoke(pending, 'echo', { text: 'x' })
    const result = runOperation(pending, 'echo', { text: 'ab', times: 2 })
    expect(result).toBeInstanceOf(Promise)
    expect(await result).toEqual({ text: 'abab' })
    await expect(runOperation(pending, 'echo', { text: '' })).rejects.toMatchObject({ code: 'invalid_input' })
  })

  it('runOperation() answers the first call of an app synchronously, and waits for an async config schema', async () => {
    const fresh = echoApp(Input, Output, false)
    expect(runOperation(fresh, 'echo', { text: 'a' })).toEqual({ text: 'a' })
    const env = asyncOf(z.object({ HOME: z.string().optional() }))
    const configured = app({
      name: 'configured',
      version: '1',
      config: env,
      operations: [op({ name: 'ok', handler: () => true })],
    })
    const first = runOperation(configured, 'ok', undefined)
    expect(first).toBeInstanceOf(Promise)
    expect(await first).toBe(true)
    expect(runOperation(configured, 'ok', undefined)).toBe(true)
  })

  it('runOperation() waits for deps on the first call and goes synchronous once they exist', async () => {
    let made = 0
    const withDeps = app({
      name: 'deps',
      version: '1',
      deps: async () => ({ n: ++made }),
      operations: [op({ name: 'n', handler: (_i, ctx) => (ctx.deps as { n: number }).n })],
    })
    expect(await runOperation(withDeps, 'n', undefined)).toBe(1)
    expect(runOperation(withDeps, 'n', undefined)).toBe(1)
    expect(made).toBe(1)
  })
})

describe('the call context', () => {
  it('ctx.log writes requestId, op and surface, and makes its child logger only when the call logs', async () => {
    const lines: string[] = []
    let children = 0
    const base = createLogger({ write: (line) => lines.push(line) })
    const counting: Logger = {
      level: base.level,
      debug: (m, f) => base.debug(m, f),
      info: (m, f) => base.info(m, f),
      warn: (m, f) => base.warn(m, f),
      error: (m, f) => base.error(m, f),
      child: (fields) => {
        children++
        return base.child(fields)
      },
    }
    const target = app({
      name: 'logs',
      version: '1',
      operations: [
        op({ name: 'quiet', handler: () => 1 }),
        op({
          name: 'loud',
          handler: (_i, ctx) => {
            ctx.log.info('hello', { n: 1 })
            return 2
          },
        }),
      ],
    })
    await invoke(target, 'quiet', undefined, { log: counting, requestId: 'r1', surface: 'http' })
    expect(children).toBe(0)
    await invoke(target, 'loud', undefined, { log: counting, requestId: 'r2', surface: 'http' })
    expect(children).toBe(1)
    expect(JSON.parse(lines[0] as string)).toMatchObject({
      msg: 'hello',
      n: 1,
      requestId: 'r2',
      op: 'loud',
      surface: 'http',
    })
  })

  it('ctx.requestId is generated unique per call when the caller gives none', async () => {
    const target = app({
      name: 'ids',
      version: '1',
      operations: [op({ name: 'id', handler: (_i, ctx) => ctx.requestId })],
    })
    const ids = new Set<unknown>()
    for (let i = 0; i < 100; i++) ids.add(await invoke(target, 'id'))
    expect(ids.size).toBe(100)
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{16}-[0-9a-z]+$/)
  })

  it('ctx.signal is the caller signal, a never-aborted one without it, and survives middleware extension', async () => {
    const seen: AbortSignal[] = []
    const extend = middleware(async (_ctx, next) => next({ extra: 1 }))
    const target = app({
      name: 'signals',
      version: '1',
      operations: [
        op({ name: 'plain', handler: (_i, ctx) => void seen.push(ctx.signal) }),
        op({ name: 'extended', use: [extend], handler: (_i, ctx) => void seen.push(ctx.signal) }),
      ],
    })
    const controller = new AbortController()
    await invoke(target, 'plain', undefined, { signal: controller.signal })
    await invoke(target, 'extended', undefined, { signal: controller.signal })
    await invoke(target, 'plain')
    expect(seen[0]).toBe(controller.signal)
    expect(seen[1]).toBe(controller.signal)
    expect(seen[2]).toBeInstanceOf(AbortSignal)
    expect(seen[2]?.aborted).toBe(false)
  })
})
