/**
 * `op()`: one typed operation, written once and served by every entry point.
 *
 * @module
 */
import type { Config, Context } from './context.ts'
import type { ExtensionOf, Middleware } from './middleware.ts'
import type { AnySchema, StandardSchemaV1 } from './schema.ts'

/** HTTP methods an operation can be bound to. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

/** How an operation appears on HTTP. */
export interface OpHttp {
  /** Defaults to `POST` (a `readOnly` operation also answers `GET`). */
  readonly method?: HttpMethod
  /** Path with `{param}` placeholders; defaults to `/<name with dots as slashes>`. */
  readonly path?: string
  /** Success status; defaults to 200, or 204 when the operation returns nothing. */
  readonly status?: 200 | 201 | 202 | 204
}

/** How an operation appears on the command line. */
export interface OpCli {
  /** Input fields taken as positional arguments, in order. */
  readonly positional?: readonly string[]
  /** Short aliases: `{ limit: 'n' }` makes `-n` mean `--limit`. */
  readonly aliases?: Readonly<Record<string, string>>
  /** Example invocations shown first in help (without the program name). */
  readonly examples?: readonly string[]
}

/** How an operation appears to MCP clients. */
export interface OpMcp {
  /** Tool name; defaults to the operation name with dots as `_`. */
  readonly name?: string
  /** Tool title. */
  readonly title?: string
}

type Promisable<T> = T | Promise<T>

/** The raw input type of an optional schema (what a caller sends). */
export type SchemaInput<S> = S extends AnySchema
  ? StandardSchemaV1.InferInput<S>
  : undefined | Record<string, never>
/** The parsed input type of an optional schema (what the handler receives). */
export type SchemaOutput<S> = S extends AnySchema ? StandardSchemaV1.InferOutput<S> : undefined

/** What a handler may return: a value, a promise, or an AsyncIterable to stream items. */
export type HandlerReturn<T> = Promisable<T> | AsyncIterable<T>

type ResultOf<O, R> = O extends AnySchema
  ? StandardSchemaV1.InferOutput<O>
  : Awaited<R> extends AsyncIterable<infer T>
    ? T
    : Awaited<R>
type IsStream<R> = Awaited<R> extends AsyncIterable<unknown> ? true : false

/** Options of {@link op}. */
export interface OpOptions<
  Name extends string,
  I extends AnySchema | undefined,
  O extends AnySchema | undefined,
  R,
  U extends readonly Middleware<object>[],
> {
  /** Dotted name; `tags.list` becomes `notes tags list`, `POST /tags/list`, tool `tags_list`. */
  readonly name: Name
  /** One line, shown in help, OpenAPI and MCP. */
  readonly description?: string
  /** Input schema (any Standard Schema). Without it the operation takes no input. */
  readonly input?: I
  /** Output schema (any Standard Schema). Describes each item when the handler streams. */
  readonly output?: O
  /** Reads only; HTTP also answers GET, MCP `readOnlyHint`. */
  readonly readOnly?: boolean
  /** Same call twice has the same effect; MCP `idempotentHint`. */
  readonly idempotent?: boolean
  /** Deletes or overwrites; the CLI asks for confirmation, MCP `destructiveHint`. */
  readonly destructive?: boolean
  /**
   * Requires an authenticated principal (the app's `auth` hook). A function decides from the
   * validated config at call time, e.g. auth only when a token is configured.
   */
  readonly auth?: boolean | ((config: Config) => boolean)
  /** HTTP binding; `false` hides the operation from HTTP. */
  readonly http?: OpHttp | false
  /** CLI binding; `false` hides the operation from the CLI. */
  readonly cli?: OpCli | false
  /** MCP binding; `false` hides the operation from MCP. */
  readonly mcp?: OpMcp | false
  /** Middleware around this operation's handler, after the app's. */
  readonly use?: U
  /** The logic. Receives the parsed input and the call context. */
  readonly handler: (
    input: SchemaOutput<I>,
    ctx: Context & ExtensionOf<U>,
  ) => R & (O extends AnySchema ? HandlerReturn<StandardSchemaV1.InferInput<O>> : unknown)
}

/** Phantom types of an operation, for inference only. */
export interface OpTypes<In, Out, Stream extends boolean> {
  readonly input: In
  readonly output: Out
  readonly stream: Stream
}

/** A defined operation. */
export interface Op<
  Name extends string = string,
  In = unknown,
  Out = unknown,
  Stream extends boolean = boolean,
> {
  readonly kind: 'manifold.op'
  readonly name: Name
  readonly description: string | undefined
  readonly input: AnySchema | undefined
  readonly output: AnySchema | undefined
  readonly readOnly: boolean
  readonly idempotent: boolean
  readonly destructive: boolean
  readonly auth: boolean | ((config: Config) => boolean)
  /** True when the handler is an async generator (streams its result). */
  readonly stream: boolean
  readonly http: OpHttp | false
  readonly cli: OpCli | false
  readonly mcp: OpMcp | false
  readonly use: readonly Middleware<object>[]
  readonly handler: (input: unknown, ctx: Context) => unknown
  /** Types only; never set at run time. */
  readonly '~types'?: OpTypes<In, Out, Stream>
}

/** Any operation. */
export type AnyOp = Op<string, unknown, unknown, boolean> | Op<string, never, unknown, boolean>

const namePattern = /^[A-Za-z][A-Za-z0-9_-]*(\.[A-Za-z][A-Za-z0-9_-]*)*$/

/**
 * Defines an operation. Input and output types infer from the schemas; no annotations needed.
 *
 * @example
 * ```ts
 * import * as z from 'zod'
 * import { op } from 'manifold'
 * export const greet = op({
 *   name: 'greet',
 *   description: 'Say hello',
 *   input: z.object({ name: z.string() }),
 *   output: z.object({ message: z.string() }),
 *   readOnly: true,
 *   handler: ({ name }) => ({ message: `Hello, ${name}!` }),
 * })
 * ```
 */
export function op<
  const Name extends string,
  I extends AnySchema | undefined = undefined,
  O extends AnySchema | undefined = undefined,
  R = unknown,
  const U extends readonly Middleware<object>[] = [],
>(options: OpOptions<Name, I, O, R, U>): Op<Name, SchemaInput<I>, ResultOf<O, R>, IsStream<R>> {
  if (typeof options !== 'object' || options === null) throw new TypeError('op() expects an options object')
  const { name, handler } = options
  if (typeof name !== 'string' || !namePattern.test(name)) {
    throw new TypeError(
      `Invalid operation name "${String(name)}": use dotted segments of letters, digits, "-" and "_", each starting with a letter (e.g. "tags.list")`,
    )
  }
  if (typeof handler !== 'function') throw new TypeError(`Operation "${name}" has no handler function`)
  return {
    kind: 'manifold.op',
    name,
    description: options.description,
    input: options.input,
    output: options.output,
    readOnly: options.readOnly ?? false,
    idempotent: options.idempotent ?? options.readOnly ?? false,
    destructive: options.destructive ?? false,
    auth: options.auth ?? false,
    stream: handler.constructor?.name === 'AsyncGeneratorFunction',
    http: options.http ?? {},
    cli: options.cli ?? {},
    mcp: options.mcp ?? {},
    use: options.use ?? [],
    handler: handler as (input: unknown, ctx: Context) => unknown,
  }
}
