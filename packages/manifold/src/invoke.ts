/**
 * `invoke()`: the one way to run an operation. Every adapter translates its outside shape
 * into a call of this function and renders what it returns or throws.
 *
 * @module
 */
import type { AnyApp, Credentials, InputOf, OpName, OpOf } from './app.ts'
import type { Context, Principal, Surface } from './context.ts'
import {
  Cancelled,
  Internal,
  isManifoldError,
  type ManifoldError,
  Timeout,
  toManifoldError,
  Unauthenticated,
  Unavailable,
  UsageError,
} from './errors.ts'
import type { Logger } from './log.ts'
import type { Middleware, NextResult } from './middleware.ts'
import type { AnyOp, Op } from './op.ts'
import { runtimeOf, startApp } from './runtime.ts'
import { invalidInput, validate } from './schema.ts'

/** How a surface calls an operation. */
export interface CallOptions {
  /** Which entry point received the call; defaults to `direct`. */
  readonly surface?: Surface
  /** Id of the call; generated when absent. */
  readonly requestId?: string
  /** Aborts the call (Ctrl-C, disconnect, deadline). A `TimeoutError` reason becomes `timeout`. */
  readonly signal?: AbortSignal
  /** Receives `ctx.progress` reports. */
  readonly onProgress?: (done: number, total: number | undefined, message: string | undefined) => void
  /** Credentials for the app's auth hook. */
  readonly credentials?: Omit<Credentials, 'surface'>
  /** A principal the caller already verified; skips the auth hook. */
  readonly principal?: Principal
  /** Logger for this call; defaults to the app's. */
  readonly log?: Logger
  /** Validate the output against its schema; defaults to the app's setting. */
  readonly validateOutput?: boolean
}

/** What invoking an operation resolves to: its output, or an AsyncIterable of items when it streams. */
export type InvokeResult<A extends AnyApp, N extends string> =
  OpOf<A, N> extends Op<string, infer _I, infer O, infer S>
    ? S extends true
      ? AsyncIterable<O>
      : O
    : unknown

const neverAborted = new AbortController().signal

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function'
  )
}

function hasCredentials(c: Omit<Credentials, 'surface'> | undefined): c is Omit<Credentials, 'surface'> {
  return c !== undefined && (c.token !== undefined || c.apiKey !== undefined || c.claims !== undefined)
}

/** Maps what a call threw to the error the caller sees, honouring an aborted signal. */
function settleError(error: unknown, signal: AbortSignal, log: Logger): ManifoldError {
  if (
    signal.aborted &&
    (!isManifoldError(error) || error.code === 'internal' || error.code === 'cancelled')
  ) {
    const reason: unknown = signal.reason
    if (isManifoldError(reason)) return reason
    if (reason instanceof Error && reason.name === 'TimeoutError')
      return new Timeout('The call ran out of time', { cause: error })
    return new Cancelled('The call was cancelled', { cause: error })
  }
  const failure = toManifoldError(error)
  if (failure.code === 'internal') log.error('operation failed', { error: failure.cause ?? failure })
  return failure
}

async function checkInput(operation: AnyOp, raw: unknown): Promise<unknown> {
  if (operation.input === undefined) {
    const empty =
      raw === undefined || raw === null || (typeof raw === 'object' && Object.keys(raw).length === 0)
    if (!empty) throw invalidInput([{ path: '', message: `Operation "${operation.name}" takes no input` }])
    return undefined
  }
  const result = await validate(operation.input, raw === null ? undefined : raw)
  if (!result.ok) {
    // A missing body reads better as "expected an object" at the root than as a type error.
    throw invalidInput(result.errors)
  }
  return result.value
}

async function checkOutput(operation: AnyOp, value: unknown, log: Logger): Promise<unknown> {
  if (operation.output === undefined) return value
  const result = await validate(operation.output, value)
  if (result.ok) return result.value
  log.error('output failed its schema', { op: operation.name, errors: result.errors })
  throw new Internal('Internal error', { cause: invalidInput(result.errors, 'output') })
}

async function* guardStream(
  source: AsyncIterable<unknown>,
  operation: AnyOp,
  signal: AbortSignal,
  log: Logger,
  check: boolean,
): AsyncGenerator<unknown, void, undefined> {
  try {
    for await (const item of source) {
      if (signal.aborted) throw signal.reason
      yield check ? await checkOutput(operation, item, log) : item
    }
  } catch (error) {
    throw settleError(error, signal, log)
  }
}

function runChain(
  chain: readonly Middleware<object>[],
  ctx: Context,
  last: (ctx: Context) => Promise<unknown>,
): Promise<unknown> {
  const step = async (index: number, current: Context): Promise<NextResult> => {
    const mw = chain[index]
    if (mw === undefined) return { value: await last(current) }
    return mw(
      current,
      (extend) => step(index + 1, extend === undefined ? current : { ...current, ...extend }) as never,
    )
  }
  return step(0, ctx).then((r) => r.value)
}

/**
 * Runs an operation in process: input validation, auth, middleware, handler, output
 * validation (when asked). Always rejects with a `ManifoldError`.
 *
 * @example
 * ```ts
 * import * as z from 'zod'
 * import { app, invoke, op } from 'manifold'
 * const greet = op({ name: 'greet', input: z.object({ name: z.string() }), handler: ({ name }) => `Hello, ${name}` })
 * const hello = app({ name: 'hello', version: '1.0.0', operations: [greet] })
 * await invoke(hello, 'greet', { name: 'Ada' }) // 'Hello, Ada'
 * ```
 */
export async function invoke<A extends AnyApp, N extends OpName<A>>(
  target: A,
  name: N,
  input?: InputOf<A, N>,
  call: CallOptions = {},
): Promise<InvokeResult<A, N>> {
  const operation = target.get(name)
  if (operation === undefined) throw new UsageError(`Unknown operation "${name}"`)
  // Once started, the runtime is at hand synchronously; skipping the await saves a tick per call.
  const runtime = runtimeOf(target) ?? (await startApp(target))
  const signal = call.signal ?? neverAborted
  const requestId = call.requestId ?? crypto.randomUUID()
  const surface = call.surface ?? 'direct'
  const log = (call.log ?? runtime.log).child({ requestId, op: operation.name, surface })
  try {
    if (signal.aborted) throw signal.reason ?? new Cancelled()
    const config = runtime.config()
    let principal = call.principal
    if (principal === undefined && target.auth !== undefined && hasCredentials(call.credentials)) {
      const deps = await runtime.deps()
      principal = await target.auth({ ...call.credentials, surface }, { deps, config, log })
    }
    const required = typeof operation.auth === 'function' ? operation.auth(config) : operation.auth
    if (required && principal === undefined) {
      throw new Unauthenticated(`Operation "${operation.name}" requires authentication`, {
        hint: 'Send a bearer token (Authorization: Bearer <token>) or an API key (x-api-key)',
      })
    }
    const parsed = await checkInput(operation, input)
    let deps: Awaited<ReturnType<typeof runtime.deps>>
    try {
      deps = await runtime.deps()
    } catch (error) {
      throw isManifoldError(error)
        ? error
        : new Unavailable('A dependency of the app failed to start', { cause: error })
    }
    const onProgress = call.onProgress
    const ctx: Context = {
      requestId,
      surface,
      signal,
      log,
      principal,
      deps,
      config,
      op: { name: operation.name },
      progress: (done, total, message) => onProgress?.(done, total, message),
    }
    const check = call.validateOutput ?? runtime.validateOutput
    const chain =
      target.use.length === 0
        ? operation.use
        : operation.use.length === 0
          ? target.use
          : [...target.use, ...operation.use]
    const result =
      chain.length === 0
        ? await operation.handler(parsed, ctx)
        : await runChain(chain, ctx, async (c) => operation.handler(parsed, c))
    if (isAsyncIterable(result) && !Array.isArray(result)) {
      return guardStream(result, operation, signal, log, check) as InvokeResult<A, N>
    }
    if (signal.aborted) throw signal.reason
    return (check ? await checkOutput(operation, result, log) : result) as InvokeResult<A, N>
  } catch (error) {
    throw settleError(error, signal, log)
  }
}
