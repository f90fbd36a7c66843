/**
 * Per-process state of an app: validated config, lazily created dependencies, disposal.
 * Lambda keeps one runtime per execution environment, so deps are reused across invocations.
 *
 * @module
 */
import type { AnyApp } from './app.ts'
import type { Config, Deps } from './context.ts'
import { InvalidInput } from './errors.ts'
import { createLogger, type Logger } from './log.ts'
import { type ValidateResult, validate } from './schema.ts'

/** An app's per-process state. */
export interface Runtime {
  readonly log: Logger
  /** The validated config; throws the config error when it was invalid. */
  config(): Config
  /** The dependencies, created once, even when first calls race. */
  deps(): Promise<Deps>
  /** The dependencies themselves once they exist (no microtask per call), else {@link Runtime.deps}. */
  depsNow(): Deps | Promise<Deps>
  /** Releases the dependencies (`close()` or `Symbol.asyncDispose`), once. */
  dispose(): Promise<void>
  /** Validate outputs: the app's `validateOutput`, else `MANIFOLD_VALIDATE_OUTPUT=1`, read once at start. */
  readonly validateOutput: boolean
}

/** Options of {@link startApp}. */
export interface StartAppOptions {
  /** Environment to read the config from; defaults to `process.env` where there is one. */
  readonly env?: Readonly<Record<string, string | undefined>>
  /** Logger for the app; defaults to JSON lines on stderr. */
  readonly log?: Logger
}

const runtimes = new WeakMap<AnyApp, Runtime | Promise<Runtime>>()

function defaultEnv(): Record<string, string | undefined> {
  return (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env ?? {}
}

function configChecked(result: ValidateResult<unknown>): Config {
  if (result.ok) return result.value as Config
  const names = result.errors.map((e) => e.path || '(environment)')
  throw new InvalidInput(
    `Invalid environment: ${result.errors.map((e) => `${e.path || '(environment)'}: ${e.message}`).join('; ')}`,
    { errors: result.errors, hint: `Set ${names.map((n) => `"${n}"`).join(', ')} and start again` },
  )
}

/** The validated config; synchronous unless the config schema validates asynchronously. */
function loadConfig(
  target: AnyApp,
  env: Readonly<Record<string, string | undefined>>,
): Config | Promise<Config> {
  if (target.config === undefined) return {} as Config
  const result = validate(target.config, { ...env })
  return result instanceof Promise ? result.then(configChecked) : configChecked(result)
}

async function dispose(deps: unknown): Promise<void> {
  if (typeof deps !== 'object' || deps === null) return
  const d = deps as { [Symbol.asyncDispose]?: () => unknown; close?: () => unknown }
  const asyncDispose = (Symbol as { asyncDispose?: symbol }).asyncDispose
  if (asyncDispose !== undefined && typeof (d as Record<symbol, unknown>)[asyncDispose] === 'function') {
    await (d as Record<symbol, () => unknown>)[asyncDispose]!()
  } else if (typeof d.close === 'function') {
    await d.close()
  }
}

/** The runtime of an app; synchronous unless its config validates asynchronously. Throws a config error. */
function createRuntime(target: AnyApp, options: StartAppOptions): Runtime | Promise<Runtime> {
  const log = options.log ?? createLogger({ fields: { app: target.name } })
  const env = options.env ?? defaultEnv()
  const config = loadConfig(target, env)
  return config instanceof Promise
    ? config.then((c) => runtimeWith(target, log, env, c))
    : runtimeWith(target, log, env, config)
}

function runtimeWith(
  target: AnyApp,
  log: Logger,
  env: Readonly<Record<string, string | undefined>>,
  config: Config,
): Runtime {
  const flag = env.MANIFOLD_VALIDATE_OUTPUT
  const validateOutput = target.validateOutput ?? (flag === '1' || flag === 'true')
  let deps: Promise<Deps> | undefined
  // Set once `deps` resolved; a wrapper, because `undefined` is a valid value of deps.
  let ready: { readonly value: Deps } | undefined
  let disposed: Promise<void> | undefined
  const runtime: Runtime = {
    log,
    validateOutput,
    config: () => config,
    deps() {
      if (deps === undefined) {
        const factory = target.deps
        const pending: Promise<Deps> =
          factory === undefined
            ? Promise.resolve(undefined as unknown as Deps)
            : Promise.resolve().then(() => factory({ config, log }))
        deps = pending
        pending.then(
          (value) => {
            if (deps === pending) ready = { value }
          },
          // A failed factory must not poison the process: the next call tries again.
          () => {
            if (deps === pending) deps = undefined
          },
        )
      }
      return deps
    },
    depsNow() {
      if (ready !== undefined) return ready.value
      return target.deps === undefined ? (undefined as unknown as Deps) : runtime.deps()
    },
    dispose() {
      if (disposed === undefined) {
        const current = deps
        deps = undefined
        ready = undefined
        disposed = current === undefined ? Promise.resolve() : current.then(dispose, () => undefined)
      }
      return disposed
    },
  }
  return runtime
}

/**
 * Prepares an app for calls: validates its config once (one error lists every bad variable)
 * and returns its runtime. Adapters call it at start to fail fast; `invoke` calls it lazily.
 *
 * @example
 * ```ts
 * import { app, startApp } from 'manifold'
 * const hello = app({ name: 'hello', version: '1.0.0', operations: [] })
 * const runtime = await startApp(hello, { env: {} })
 * await runtime.dispose()
 * ```
 */
export function startApp(target: AnyApp, options: StartAppOptions = {}): Promise<Runtime> {
  try {
    return Promise.resolve(ensureRuntime(target, options))
  } catch (error) {
    return Promise.reject(error)
  }
}

/**
 * {@link startApp} for adapters: the runtime itself when the app is started or starts
 * synchronously (no config schema, or one that validates synchronously), else a promise.
 * Throws the config error when it starts synchronously.
 */
export function ensureRuntime(target: AnyApp, options: StartAppOptions = {}): Runtime | Promise<Runtime> {
  if (target === latest?.target) return latest.runtime
  const existing = runtimes.get(target)
  if (existing !== undefined) {
    if (!(existing instanceof Promise)) latest = { target, runtime: existing }
    return existing
  }
  const made = createRuntime(target, options)
  runtimes.set(target, made)
  if (made instanceof Promise) {
    made.then(
      (runtime) => runtimes.set(target, runtime),
      () => runtimes.delete(target),
    )
  }
  return made
}

// The started app asked for last, and its runtime: a process mostly serves one app, and every
// call asks (a WeakMap lookup is about a hundred instructions). `stopApp` forgets it.
let latest: { readonly target: AnyApp; readonly runtime: Runtime } | undefined

/** The runtime of an app if it was started; for adapters that need it synchronously. */
export function runtimeOf(target: AnyApp): Runtime | undefined {
  const r = runtimes.get(target)
  return r instanceof Promise ? undefined : r
}

/**
 * Releases an app's dependencies and forgets its runtime (graceful shutdown, tests).
 *
 * @example
 * ```ts
 * import { app, stopApp } from 'manifold'
 * await stopApp(app({ name: 'hello', version: '1.0.0', operations: [] }))
 * ```
 */
export async function stopApp(target: AnyApp): Promise<void> {
  const existing = runtimes.get(target)
  if (existing === undefined) return
  runtimes.delete(target)
  if (latest?.target === target) latest = undefined
  const runtime = await existing
  await runtime.dispose()
}
