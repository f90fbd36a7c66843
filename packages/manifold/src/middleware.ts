/**
 * Middleware: `(ctx, next) => …` around a handler, the same on every surface. A middleware
 * extends the context by passing values to `next({ … })`; the handler's `ctx` is typed with them.
 *
 * @module
 */
import type { Context } from './context.ts'

declare const extension: unique symbol

/** What `next()` resolves to; carries the context extension in its type. */
export interface NextResult<Ext extends object = {}> {
  readonly [extension]?: Ext
  /** The handler's result (or the next middleware's). */
  readonly value: unknown
}

/** Calls the rest of the chain, optionally with values to add to the context. */
export type Next = <Ext extends object = {}>(extend?: Ext) => Promise<NextResult<Ext>>

/** A middleware that adds `Ext` to the context of everything after it. */
export type Middleware<Ext extends object = {}> = (ctx: Context, next: Next) => Promise<NextResult<Ext>>

/** The union of the extensions of a list of middleware, as one object type. */
export type ExtensionOf<U> = U extends readonly []
  ? {}
  : U extends readonly [Middleware<infer A>, ...infer Rest]
    ? A & ExtensionOf<Rest>
    : U extends readonly Middleware<infer A>[]
      ? A
      : {}

/**
 * Declares a middleware; an identity function that gives it its type.
 *
 * @example
 * ```ts
 * import { middleware } from 'manifold'
 * export const timing = middleware(async (ctx, next) => {
 *   const start = performance.now()
 *   try {
 *     return await next({ startedAt: start })
 *   } finally {
 *     ctx.log.info('timing', { ms: performance.now() - start })
 *   }
 * })
 * ```
 */
export function middleware<Ext extends object = {}>(fn: Middleware<Ext>): Middleware<Ext> {
  return fn
}
