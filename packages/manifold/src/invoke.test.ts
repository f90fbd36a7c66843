import {
  app,
  Conflict,
  createLogger,
  invoke,
  type ManifoldError,
  middleware,
  op,
  startApp,
  stopApp,
  Unauthenticated,
} from 'manifold'
import { describe, expect, it, vi } from 'vitest'
import * as z from 'zod'

async function failure(promise: Promise<unknown>): Promise<ManifoldError> {
  try {
    await promise
  } catch (error) {
    return error as ManifoldError
  }
  throw new Error('expected a failure')
}

const silent = createLogger({ level: 'silent' })

/** An app whose one operation, `port`, returns the config (`PORT`, a number). */
function portApp() {
  return app({
    name: 't',
    version: '1',
    operations: [op({ name: 'port', handler: (_i, ctx) => ctx.config })],
    config: z.object({ PORT: z.coerce.number() }),
  })
}
describe('invoke()', () => {
  const echo = op({
    name: 'echo',
    input: z.object({ text: z.string().min(1), times: z.number().int().default(1) }),
    output: z.object({ text: z.string() }),
    handler: ({ text, times }) => ({ text: text.repeat(times) }),
  })
  const boom = op({
    name: 'boom',
    handler: () => {
      throw new Error('password=hunter2 at /srv/app.js')
    },
  })
  const wrongOutput = op({
    name: 'wrong',
    output: z.object({ n: z.number() }),
    handler: () => ({ n: 'x' }) as never,
  })
  const stale = op({ name: 'stale', handler: () => Conflict.throw('Version 3 is stale') })
  const none = op({ name: 'none', handler: () => undefined })
  const target = app({ name: 'test', version: '1.0.0', operations: [echo, boom, wrongOutput, stale, none] })

  it('validates input and returns the handler result', async () => {
    expect(await invoke(target, 'echo', { text: 'ab', times: 2 })).toEqual({ text: 'abab' })
  })

  it('applies schema defaults before the handler sees the input', async () => {
    expect(await invoke(target, 'echo', { text: 'a' })).toEqual({ text: 'a' })
  })

  it('rejects bad input with invalid_input listing every field', async () => {
    const error = await failure(invoke(target, 'echo', { text: '', times: 1.5 } as never))
    expect(error.code).toBe('invalid_input')
    expect(error.errors.map((e) => e.path).sort()).toEqual(['text', 'times'])
    expect(error.message).toMatch(/^Invalid input: /)
  })

  it('rejects input for an operation that takes none', async () => {
    expect((await failure(invoke(target, 'none', { x: 1 } as never))).code).toBe('invalid_input')
    expect(await invoke(target, 'none', {} as never)).toBeUndefined()
  })

  it('turns a thrown Error into internal without leaking its message', async () => {
    const log = vi.fn()
    const error = await failure(invoke(target, 'boom', undefined, { log: createLogger({ write: log }) }))
    expect(error.code).toBe('internal')
    expect(error.message).toBe('Internal error')
    expect(log).toHaveBeenCalledOnce()
    expect(String(log.mock.calls[0]?.[0])).toContain('hunter2')
  })

  it('passes a ManifoldError through unchanged', async () => {
    const error = await failure(invoke(target, 'stale'))
    expect([error.code, error.message]).toEqual(['conflict', 'Version 3 is stale'])
  })

  it('validates output only when asked', async () => {
    expect(await invoke(target, 'wrong')).toEqual({ n: 'x' })
    const error = await failure(invoke(target, 'wrong', undefined, { validateOutput: true, log: silent }))
    expect(error.code).toBe('internal')
  })

  it('validates output when MANIFOLD_VALIDATE_OUTPUT=1 was set at start', async () => {
    const wrong = op({
      name: 'wrong',
      output: z.object({ n: z.number() }),
      handler: () => ({ n: 'x' }) as never,
    })
    const strict = app({ name: 'strict', version: '1', operations: [wrong] })
    await startApp(strict, { env: { MANIFOLD_VALIDATE_OUTPUT: '1' }, log: silent })
    expect((await failure(invoke(strict, 'wrong'))).code).toBe('internal')
  })

  it('rejects an unknown operation as usage', async () => {
    expect((await failure(invoke(target, 'nope' as never))).code).toBe('usage')
  })

  it('gives cancelled for an already aborted signal', async () => {
    const controller = new AbortController()
    controller.abort()
    expect((await failure(invoke(target, 'echo', { text: 'a' }, { signal: controller.signal }))).code).toBe(
      'cancelled',
    )
  })
})

describe('context and middleware', () => {
  it('aborting the signal mid-call gives cancelled, and a TimeoutError reason gives timeout', async () => {
    const slow = op({
      name: 'slow',
      handler: (_i, ctx) =>
        new Promise((_resolve, reject) =>
          ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason)),
        ),
    })
    const target = app({ name: 't', version: '1', operations: [slow] })
    const c1 = new AbortController()
    const p1 = failure(invoke(target, 'slow', undefined, { signal: c1.signal }))
    c1.abort()
    expect((await p1).code).toBe('cancelled')
    expect((await failure(invoke(target, 'slow', undefined, { signal: AbortSignal.timeout(10) }))).code).toBe(
      'timeout',
    )
  })

  it('ctx carries surface, requestId, progress and the typed middleware extension', async () => {
    const order: string[] = []
    const outer = middleware(async (_ctx, next) => {
      order.push('app')
      return next()
    })
    const withUser = middleware(async (_ctx, next) => {
      order.push('op')
      return next({ user: 'ada' })
    })
    const who = op({
      name: 'who',
      use: [withUser],
      handler: (_i, ctx) => {
        ctx.progress(1, 2, 'half')
        return { user: ctx.user, surface: ctx.surface, requestId: ctx.requestId }
      },
    })
    const target = app({ name: 't', version: '1', operations: [who], use: [outer] })
    const progress = vi.fn()
    const result = await invoke(target, 'who', undefined, {
      surface: 'http',
      requestId: 'r1',
      onProgress: progress,
    })
    expect(result).toEqual({ user: 'ada', surface: 'http', requestId: 'r1' })
    expect(progress).toHaveBeenCalledWith(1, 2, 'half')
    expect(order).toEqual(['app', 'op'])
  })

  it('streams an async generator and maps errors thrown while streaming', async () => {
    const count = op({
      name: 'count',
      input: z.object({ to: z.number() }),
      async *handler({ to }) {
        for (let i = 1; i <= to; i++) yield { i }
        throw new Error('disk on fire')
      },
    })
    expect(count.stream).toBe(true)
    const target = app({ name: 't', version: '1', operations: [count] })
    const items: unknown[] = []
    const stream = await invoke(target, 'count', { to: 2 }, { log: silent })
    const error = await failure(
      (async () => {
        for await (const item of stream) items.push(item)
      })(),
    )
    expect(items).toEqual([{ i: 1 }, { i: 2 }])
    expect(error.code).toBe('internal')
  })
})

describe('deps, config and auth', () => {
  it('creates deps once even when first calls race, and disposes them once', async () => {
    const close = vi.fn()
    const factory = vi.fn(async () => {
      await new Promise((r) => setTimeout(r, 10))
      return { close }
    })
    const use = op({ name: 'use', handler: (_i, ctx) => ctx.deps })
    const target = app({ name: 't', version: '1', operations: [use], deps: factory })
    const [a, b, c] = await Promise.all([invoke(target, 'use'), invoke(target, 'use'), invoke(target, 'use')])
    expect(factory).toHaveBeenCalledOnce()
    expect(a).toBe(b)
    expect(b).toBe(c)
    await stopApp(target)
    expect(close).toHaveBeenCalledOnce()
  })

  it('a call after stopApp starts the app again, with the config of its new start', async () => {
    const target = portApp()
    await startApp(target, { env: { PORT: '1' } })
    expect(await invoke(target, 'port')).toEqual({ PORT: 1 })
    expect(await invoke(target, 'port')).toEqual({ PORT: 1 })
    await stopApp(target)
    await startApp(target, { env: { PORT: '2' } })
    expect(await invoke(target, 'port')).toEqual({ PORT: 2 })
  })

  it('a failing deps factory gives unavailable and is retried on the next call', async () => {
    let calls = 0
    const use = op({ name: 'use', handler: () => 'ok' })
    const target = app({
      name: 't',
      version: '1',
      operations: [use],
      deps: () => {
        calls++
        if (calls === 1) throw new Error('ECONNREFUSED')
        return {}
      },
    })
    expect((await failure(invoke(target, 'use'))).code).toBe('unavailable')
    expect(await invoke(target, 'use')).toBe('ok')
  })

  it('validates config once and lists every bad variable', async () => {
    const target = app({
      name: 't',
      version: '1',
      operations: [],
      config: z.object({ PORT: z.coerce.number().int(), DATABASE_URL: z.string().url() }),
    })
    const error = await failure(startApp(target, { env: { PORT: 'x' } }))
    expect(error.code).toBe('invalid_input')
    expect(error.errors.map((e) => e.path).sort()).toEqual(['DATABASE_URL', 'PORT'])
    expect(error.hint).toContain('"PORT"')
    const ok = portApp()
    await startApp(ok, { env: { PORT: '8080' } })
    expect(await invoke(ok, 'port')).toEqual({ PORT: 8080 })
  })

  it('an auth function decides from the config whether an operation needs a principal, before input validation', async () => {
    const write = op({
      name: 'write',
      input: z.object({ text: z.string() }),
      auth: (config) => (config as { TOKEN?: string }).TOKEN !== undefined,
      handler: ({ text }) => text,
    })
    const locked = app({
      name: 't',
      version: '1',
      operations: [write],
      config: z.object({ TOKEN: z.string().optional() }),
    })
    await startApp(locked, { env: { TOKEN: 'x' } })
    expect((await failure(invoke(locked, 'write', { text: 1 } as never))).code).toBe('unauthenticated')
    const open = app({
      name: 't',
      version: '1',
      operations: [write],
      config: z.object({ TOKEN: z.string().optional() }),
    })
    await startApp(open, { env: {} })
    expect(await invoke(open, 'write', { text: 'hi' })).toBe('hi')
  })

  it('runs the auth hook and requires a principal where the operation asks', async () => {
    const secret = op({ name: 'secret', auth: true, handler: (_i, ctx) => ctx.principal })
    const open = op({ name: 'open', handler: (_i, ctx) => ctx.principal ?? 'anonymous' })
    const target = app({
      name: 't',
      version: '1',
      operations: [secret, open],
      auth: ({ token }) => {
        if (token === 'good') return { user: 'ada' }
        throw new Unauthenticated('Invalid token')
      },
    })
    expect(await invoke(target, 'secret', undefined, { credentials: { token: 'good' } })).toEqual({
      user: 'ada',
    })
    expect(await invoke(target, 'open')).toBe('anonymous')
    const missing = await failure(invoke(target, 'secret'))
    expect([missing.code, missing.hint]).toEqual(['unauthenticated', expect.stringContaining('Bearer')])
    expect((await failure(invoke(target, 'open', undefined, { credentials: { token: 'bad' } }))).code).toBe(
      'unauthenticated',
    )
  })
})
