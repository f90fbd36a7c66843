/**
 * The per-call context every handler and middleware receives, the same on every surface.
 *
 * @module
 */
import type { Logger } from './log.ts'

/**
 * Augment this interface to type `ctx.deps`, `ctx.config` and `ctx.principal` in every
 * operation of your app.
 *
 * @example
 * ```ts
 * declare module 'manifold' {
 *   interface Register {
 *     deps: { store: Map<string, string> }
 *     principal: { user: string }
 *   }
 * }
 * ```
 */
// biome-ignore lint/suspicious/noEmptyInterface: augmented by users
export interface Register {}

type Registered<K extends string, Fallback> = Register extends { [P in K]: infer T } ? T : Fallback

/** The type of `ctx.deps`, from {@link Register}. */
export type Deps = Registered<'deps', unknown>
/** The type of `ctx.config`, from {@link Register}. */
export type Config = Registered<'config', Record<string, unknown>>
/** The type of `ctx.principal` (when set), from {@link Register}. */
export type Principal = Registered<'principal', unknown>

/** Where a call came from. */
export type Surface = 'cli' | 'http' | 'lambda' | 'mcp' | 'direct'

/** Reports progress: `done` of `total` units, with an optional message. */
export type ProgressFn = (done: number, total?: number, message?: string) => void

/** The context of one call. */
export interface Context {
  /** Id of this call: the `x-request-id` on HTTP, the Lambda request id, or generated. */
  readonly requestId: string
  /** Which entry point received the call. */
  readonly surface: Surface
  /** Aborted on Ctrl-C, client disconnect or deadline. */
  readonly signal: AbortSignal
  /** Reports progress to the caller (a bar on the CLI, notifications on MCP, SSE on HTTP). */
  readonly progress: ProgressFn
  /** Structured logger (JSON lines on stderr) bound to this call. */
  readonly log: Logger
  /** Who called, as returned by the app's auth hook; undefined when anonymous. */
  readonly principal: Principal | undefined
  /** The app's dependencies, created once per process. */
  readonly deps: Deps
  /** The app's validated environment configuration. */
  readonly config: Config
  /** The operation being called. */
  readonly op: { readonly name: string }
}
