/**
 * `invoke()`: the one way to run an operation. Every adapter translates its outside shape
 * into a call of this function and renders what it returns or throws.
 *
 * @module
 */
import type { AnyApp, Credentials, InputOf, OpName, OpOf } from './app.ts'
import type { Config, Context, Deps, Principal, ProgressFn, Surface } from './context.ts'
import {
  abortError,
  Cancelled,
  Internal,
  isManifoldError,
  type ManifoldError,
  toManifoldError,
  Unauthenticated,
  Unavailable,
  UsageError,
} from './errors.ts'
import { nextRequestId } from './internal/request-id.ts'
import { callLogger, type Logger } from './log.ts'
import type { Middleware, NextResult } from './middleware.ts'
import type { AnyOp, Op } from './op.ts'
import { ensureRuntime, type Runtime } from './runtime.ts'
import { invalidInput, type ValidateResult, validate } from './schema.ts'

/** How a surface calls an operation. */
export interface CallOptions {
  /** Which entry point received the call; defaults to `direct`. */
  readonly surface?: Surface
  /** Id of the call; generated when absent (a per-process random prefix and a counter). */
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

/**
 * Where a call learns that it was aborted. An `AbortSignal` is one; the Lambda deadline is
 * another, which makes its `AbortSignal` only when a handler reads `ctx.signal` (a call that
 * never does loads no AbortController at all, which a cold start notices).
 */
export interface AbortSource {
  readonly aborted: boolean
  readonly reason: unknown
  /** The signal to hand to the handler; made on first use. */
  abortSignal(): AbortSignal
}

let neverAborted: AbortSignal | undefined

/** The source of a call without a signal: never aborted, its signal made on first use. */
const notAborted: AbortSource = {
  aborted: false,
  reason: undefined,
  abortSignal: () => {
    neverAborted ??= new AbortController().signal
    return neverAborted
  },
}

/** Whether a value is a stream (an operation's AsyncIterable output); shared by the Lambda adapter. */
export function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function'
  )
}

/** Whether a value is a promise or another thenable (`await` would unwrap it). */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  )
}

function hasCredentials(c: Omit<Credentials, 'surface'> | undefined): c is Omit<Credentials, 'surface'> {
  return c !== undefined && (c.token !== undefined || c.apiKey !== undefined || c.claims !== undefined)
}

/** Maps what a call threw to the error the caller sees, honouring an aborted signal. */
function settleError(error: unknown, signal: AbortSource | AbortSignal, log: Logger): ManifoldError {
  if (
    signal.aborted &&
    (!isManifoldError(error) || error.code === 'internal' || error.code === 'cancelled')
  ) {
    const reason: unknown = signal.reason
    return isManifoldError(reason) ? reason : abortError(reason, error)
  }
  const failure = toManifoldError(error)
  if (failure.code === 'internal') log.error('operation failed', { error: failure.cause ?? failure })
  return failure
}

/** Reads an input again with its strings coerced by the schema's types (HTTP query and path values). */
export type Coerce = (raw: unknown) => unknown

function inputChecked(
  result: ValidateResult<unknown>,
  operation: AnyOp,
  raw: unknown,
  coerce: Coerce | undefined,
): unknown {
  if (result.ok) return result.value
  // Strings from a query or a path failed: try them coerced by the schema's types, once.
  if (coerce !== undefined) return checkInput(operation, coerce(raw), undefined)
  throw invalidInput(result.errors)
}

function checkInput(operation: AnyOp, raw: unknown, coerce: Coerce | undefined): unknown {
  if (operation.input === undefined) {
    const empty =
      raw === undefined || raw === null || (typeof raw === 'object' && Object.keys(raw).length === 0)
    if (!empty) throw invalidInput([{ path: '', message: `Operation "${operation.name}" takes no input` }])
    return undefined
  }
  const result = validate(operation.input, raw === null ? undefined : raw)
  return result instanceof Promise
    ? result.then((r) => inputChecked(r, operation, raw, coerce))
    : inputChecked(result, operation, raw, coerce)
}

function checkOutput(operation: AnyOp, value: unknown, log: Logger): unknown {
  if (operation.output === undefined) return value
  const checked = (result: ValidateResult<unknown>): unknown => {
    if (result.ok) return result.value
    log.error('output failed its schema', { op: operation.name, errors: result.errors })
    throw new Internal('Internal error', { cause: invalidInput(result.errors, 'output') })
  }
  const result = validate(operation.output, value)
  return result instanceof Promise ? result.then(checked) : checked(result)
}

async function* guardStream(
  source: AsyncIterable<unknown>,
  operation: AnyOp,
  signal: AbortSource | AbortSignal,
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
  last: (ctx: Context) => unknown,
): Promise<unknown> {
  const step = async (index: number, current: Context): Promise<NextResult> => {
    const mw = chain[index]
    if (mw === undefined) return { value: await last(current) }
    return mw(
      current,
      (extend) =>
        step(
          index + 1,
          // `signal` is a getter of the first context, which a spread does not copy.
          extend === undefined ? current : { ...current, signal: current.signal, ...extend },
        ) as never,
    )
  }
  return step(0, ctx).then((r) => r.value)
}

/**
 * One call on its way through the pipeline, and the `ctx` its handler gets: the public fields
 * are exactly those of {@link Context} (so `{ ...ctx }` copies a context), the rest is private.
 * Each stage goes on synchronously when the step before it finished synchronously (a schema
 * whose `validate` returns its result, a handler that returns a value, no middleware), so such
 * a call settles without a single microtask; the first promise switches the rest to `then`.
 */
class Call implements Context {
  readonly requestId: string
  readonly surface: Surface
  readonly log: Logger
  principal: Principal | undefined
  deps: Deps
  config: Config
  readonly op: { readonly name: string }
  readonly progress: ProgressFn
  readonly #target: AnyApp
  readonly #operation: AnyOp
  readonly #runtime: Runtime
  readonly #call: CallOptions
  readonly #input: unknown
  readonly #coerce: Coerce | undefined
  readonly #abort: AbortSource | AbortSignal
  #signal: AbortSignal | undefined
  #parsed: unknown

  constructor(
    target: AnyApp,
    operation: AnyOp,
    runtime: Runtime,
    call: CallOptions,
    input: unknown,
    coerce: Coerce | undefined,
    abort: AbortSource | AbortSignal,
  ) {
    const requestId = call.requestId ?? nextRequestId()
    const surface = call.surface ?? 'direct'
    this.requestId = requestId
    this.surface = surface
    this.log = callLogger(call.log ?? runtime.log, requestId, operation.name, surface)
    this.principal = call.principal
    this.deps = undefined as unknown as Deps
    this.config = runtime.config()
    this.op = opRef(operation)
    const onProgress = call.onProgress
    this.progress =
      onProgress === undefined ? ignoreProgress : (done, total, message) => onProgress(done, total, message)
    this.#target = target
    this.#operation = operation
    this.#runtime = runtime
    this.#call = call
    this.#input = input
    this.#coerce = coerce
    this.#abort = abort
  }

  /**
   * A prototype getter, so that a call whose handler never reads it makes no AbortSignal (it
   * is not an own property: `{ ...ctx }` leaves it out, middleware extension puts it back).
   */
  get signal(): AbortSignal {
    const abort = this.#abort
    this.#signal ??= 'abortSignal' in abort ? abort.abortSignal() : abort
    return this.#signal
  }

  /** Runs a call: its output, a promise of it, or a throw. Static: handlers never see it on `ctx`. */
  static run(state: Call): unknown {
    return state.#start()
  }

  #start(): unknown {
    const signal = this.#abort
    if (signal.aborted) throw signal.reason ?? new Cancelled()
    const target = this.#target
    const credentials = this.#call.credentials
    if (this.principal === undefined && target.auth !== undefined && hasCredentials(credentials)) {
      const auth = target.auth
      return this.#runtime
        .deps()
        .then((deps) =>
          auth({ ...credentials, surface: this.surface }, { deps, config: this.config, log: this.log }),
        )
        .then((principal) => {
          this.principal = principal
          return this.#authorized()
        })
    }
    return this.#authorized()
  }

  #authorized(): unknown {
    const operation = this.#operation
    const required = typeof operation.auth === 'function' ? operation.auth(this.config) : operation.auth
    if (required && this.principal === undefined) {
      throw new Unauthenticated(`Operation "${operation.name}" requires authentication`, {
        hint: 'Send a bearer token (Authorization: Bearer <token>) or an API key (x-api-key)',
      })
    }
    const parsed = checkInput(operation, this.#input, this.#coerce)
    return parsed instanceof Promise ? parsed.then((p) => this.#withInput(p)) : this.#withInput(parsed)
  }

  #withInput(parsed: unknown): unknown {
    this.#parsed = parsed
    let deps: Deps | Promise<Deps>
    try {
      deps = this.#runtime.depsNow()
    } catch (error) {
      throw depsFailed(error)
    }
    return deps instanceof Promise
      ? deps.then(
          (d) => this.#withDeps(d),
          (error: unknown) => {
            throw depsFailed(error)
          },
        )
      : this.#withDeps(deps)
  }

  #withDeps(deps: Deps): unknown {
    this.deps = deps
    const target = this.#target
    const operation = this.#operation
    const chain =
      target.use.length === 0
        ? operation.use
        : operation.use.length === 0
          ? target.use
          : [...target.use, ...operation.use]
    const parsed = this.#parsed
    const result =
      chain.length === 0
        ? operation.handler(parsed, this)
        : runChain(chain, this, (c) => operation.handler(parsed, c))
    return isThenable(result) ? Promise.resolve(result).then((r) => this.#finish(r)) : this.#finish(result)
  }

  #finish(result: unknown): unknown {
    const check = this.#call.validateOutput ?? this.#runtime.validateOutput
    const operation = this.#operation
    if (isAsyncIterable(result) && !Array.isArray(result)) {
      return guardStream(result, operation, this.#abort, this.log, check)
    }
    if (this.#abort.aborted) throw this.#abort.reason
    return check ? checkOutput(operation, result, this.log) : result
  }
}

const ignoreProgress = (): void => {}

// `ctx.op` is the same small object on every call of an operation.
const opRefs = new WeakMap<AnyOp, { readonly name: string }>()

// The last one asked for is at hand without the WeakMap lookup (about a hundred instructions).
let lastOp: AnyOp | undefined
let lastRef: { readonly name: string } | undefined

function opRef(operation: AnyOp): { readonly name: string } {
  if (operation === lastOp) return lastRef as { readonly name: string }
  let ref = opRefs.get(operation)
  if (ref === undefined) {
    ref = Object.freeze({ name: operation.name })
    opRefs.set(operation, ref)
  }
  lastOp = operation
  lastRef = ref
  return ref
}

function depsFailed(error: unknown): ManifoldError {
  return isManifoldError(error)
    ? error
    : new Unavailable('A dependency of the app failed to start', { cause: error })
}

/**
 * Runs an operation like {@link invoke}, but settles synchronously when every step does: it
 * returns the output, or a promise of it once some step is asynchronous, and throws or
 * rejects with a `ManifoldError`. For adapters on a hot path; `invoke` is this behind a promise.
 * `op` is a name, or the operation itself when the caller has it at hand (the HTTP router).
 * `coerce` reads the input again with its strings coerced by the schema, tried when the input
 * fails it (HTTP query and path values).
 */
export function runOperation(
  target: AnyApp,
  op: string | AnyOp,
  input: unknown,
  call: CallOptions = {},
  coerce?: Coerce,
  abort?: AbortSource,
): unknown {
  const operation = typeof op === 'string' ? target.get(op) : op
  if (operation === undefined) throw new UsageError(`Unknown operation "${op}"`)
  // Once started (at once, without a config schema that validates asynchronously), the runtime
  // is at hand synchronously.
  let runtime: Runtime | Promise<Runtime>
  try {
    runtime = ensureRuntime(target)
  } catch (error) {
    return Promise.reject(error)
  }
  if (runtime instanceof Promise)
    return runtime.then(() => runOperation(target, operation, input, call, coerce, abort))
  const source = abort ?? call.signal ?? notAborted
  const state = new Call(target, operation, runtime, call, input, coerce, source)
  let out: unknown
  try {
    out = Call.run(state)
  } catch (error) {
    throw settleError(error, source, state.log)
  }
  return out instanceof Promise
    ? out.catch((error: unknown) => {
        throw settleError(error, source, state.log)
      })
    : out
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
  return runOperation(target, name, input, call) as InvokeResult<A, N>
}
