/**
 * `app()`: a named, versioned set of operations with their dependencies, config and auth.
 *
 * @module
 */
import type { Config, Deps, Principal, Surface } from './context.ts'
import { pathParams, routesOf, templateKey } from './internal/route.ts'
import { createLogger, type Logger } from './log.ts'
import type { Middleware } from './middleware.ts'
import type { AnyOp, Op } from './op.ts'
import type { AnySchema } from './schema.ts'

/** Credentials a surface found on a call, handed to the auth hook. */
export interface Credentials {
  /** A bearer token (`Authorization: Bearer …`, or `<APP>_TOKEN` on the CLI). */
  readonly token?: string | undefined
  /** An API key (`x-api-key`). */
  readonly apiKey?: string | undefined
  /** Request headers, lower-cased (HTTP-shaped surfaces only). */
  readonly headers?: Readonly<Record<string, string | undefined>> | undefined
  /** Claims an upstream authorizer already verified (API Gateway JWT or Lambda authorizers). */
  readonly claims?: Readonly<Record<string, unknown>> | undefined
  /** Where the call came from. */
  readonly surface: Surface
}

/** What the auth hook can use besides the credentials. */
export interface AuthContext {
  readonly deps: Deps
  readonly config: Config
  readonly log: Logger
}

/**
 * Verifies credentials. Returns the principal, `undefined` for an anonymous call, or throws
 * `Unauthenticated` for credentials that are wrong or expired.
 */
export type AuthHook = (
  credentials: Credentials,
  ctx: AuthContext,
) => Principal | undefined | Promise<Principal | undefined>

/** Creates the app's dependencies once per process. */
export type DepsFactory = (ctx: { readonly config: Config; readonly log: Logger }) => Deps | Promise<Deps>

/** Options of {@link app}. */
export interface AppOptions<Ops extends readonly AnyOp[]> {
  /** Program name: the CLI's name, the OpenAPI title, the MCP server name. */
  readonly name: string
  /** Semantic version. */
  readonly version: string
  /** One line describing the app. */
  readonly description?: string
  /** The operations. */
  readonly operations: Ops
  /** Creates dependencies once per process (lazily, on first call). May return `close()`/`[Symbol.asyncDispose]`. */
  readonly deps?: DepsFactory
  /** Verifies credentials and returns who called. */
  readonly auth?: AuthHook
  /** Schema of the environment variables the app reads, validated once at start. */
  readonly config?: AnySchema
  /** Middleware around every operation, outermost first. */
  readonly use?: readonly Middleware<object>[]
  /** Validate every output against its schema (dev and tests). Defaults to `MANIFOLD_VALIDATE_OUTPUT=1`. */
  readonly validateOutput?: boolean
}

/** A defined app. */
export interface App<Ops extends readonly AnyOp[] = readonly AnyOp[]> {
  readonly kind: 'manifold.app'
  readonly name: string
  readonly version: string
  readonly description: string | undefined
  readonly operations: Ops
  readonly auth: AuthHook | undefined
  readonly config: AnySchema | undefined
  readonly deps: DepsFactory | undefined
  readonly use: readonly Middleware<object>[]
  readonly validateOutput: boolean | undefined
  /** Looks an operation up by name. */
  get(name: string): AnyOp | undefined
}

/** Any app. */
export type AnyApp = App<readonly AnyOp[]>

/** Names of an app's operations. */
export type OpName<A extends AnyApp> = A['operations'][number]['name']

/** The operation of an app with this name. */
export type OpOf<A extends AnyApp, N extends string> = Extract<A['operations'][number], { readonly name: N }>

/** Raw input type of an app's operation. */
export type InputOf<A extends AnyApp, N extends string> =
  OpOf<A, N> extends Op<string, infer I, unknown, boolean> ? I : never

/** Output type of an app's operation (the item type when it streams). */
export type OutputOf<A extends AnyApp, N extends string> =
  OpOf<A, N> extends Op<string, infer _I, infer O, boolean> ? O : never

function checkOperations(name: string, operations: readonly AnyOp[]): Map<string, AnyOp> {
  const byName = new Map<string, AnyOp>()
  const routes = new Map<string, string>()
  for (const operation of operations) {
    if (operation?.kind !== 'manifold.op') {
      throw new TypeError(
        `App "${name}" got something that is not an operation; define each one with op({ … })`,
      )
    }
    if (byName.has(operation.name)) {
      throw new TypeError(`App "${name}" has two operations named "${operation.name}"; names must be unique`)
    }
    byName.set(operation.name, operation)
    for (const route of routesOf(operation)) {
      if (!route.path.startsWith('/')) {
        throw new TypeError(
          `Operation "${operation.name}" has http path "${route.path}"; it must start with "/"`,
        )
      }
      const key = `${route.method} ${templateKey(route.path)}`
      const other = routes.get(key)
      if (other !== undefined) {
        throw new TypeError(
          `Operations "${other}" and "${operation.name}" both answer ${route.method} ${route.path}; give one of them another http path or method`,
        )
      }
      routes.set(key, operation.name)
      for (const param of pathParams(route.path)) {
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(param)) {
          throw new TypeError(`Operation "${operation.name}" has an invalid path parameter "{${param}}"`)
        }
      }
    }
  }
  // A group name may not also be an operation's last segment (`notes` and `notes.add`): the CLI
  // could not tell the command from the group.
  for (const opName of byName.keys()) {
    const parts = opName.split('.')
    for (let i = 1; i < parts.length; i++) {
      const prefix = parts.slice(0, i).join('.')
      if (byName.has(prefix)) {
        throw new TypeError(`Operation "${prefix}" is also the group of "${opName}"; rename one of them`)
      }
    }
  }
  return byName
}

/**
 * Defines an app from its operations. Checks names, duplicates and HTTP route clashes.
 *
 * @example
 * ```ts
 * import * as z from 'zod'
 * import { app, op } from 'manifold'
 * const greet = op({ name: 'greet', input: z.object({ name: z.string() }), handler: ({ name }) => `Hello, ${name}` })
 * export default app({ name: 'hello', version: '1.0.0', operations: [greet] })
 * ```
 */
export function app<const Ops extends readonly AnyOp[]>(options: AppOptions<Ops>): App<Ops> {
  if (typeof options !== 'object' || options === null) throw new TypeError('app() expects an options object')
  const { name, version, operations } = options
  if (typeof name !== 'string' || !/^[A-Za-z][A-Za-z0-9-]*$/.test(name)) {
    throw new TypeError(
      `Invalid app name "${String(name)}": use letters, digits and "-", starting with a letter`,
    )
  }
  if (typeof version !== 'string' || version === '')
    throw new TypeError(`App "${name}" needs a version string`)
  if (!Array.isArray(operations)) throw new TypeError(`App "${name}" needs an operations array`)
  const byName = checkOperations(name, operations)
  return {
    kind: 'manifold.app',
    name,
    version,
    description: options.description,
    operations,
    auth: options.auth,
    config: options.config,
    deps: options.deps,
    use: options.use ?? [],
    validateOutput: options.validateOutput,
    get: (opName) => byName.get(opName),
  }
}

/** The app's shared logger factory (adapters may replace the writer). */
export function appLogger(target: AnyApp): Logger {
  return createLogger({ fields: { app: target.name } })
}
