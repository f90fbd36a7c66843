/**
 * Auth of the notes app: off unless `NOTES_TOKEN` is set; then every write needs that
 * bearer token, compared in constant time.
 *
 * @module
 */
import { createHash, timingSafeEqual } from 'node:crypto'
import { type AuthHook, middleware, Unauthenticated } from 'manifold'

const digest = (value: string) => createHash('sha256').update(value).digest()

/** Compares two secrets in time that does not depend on where they differ (or their lengths). */
export function sameSecret(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected))
}

/** The configured token, or undefined when auth is off. */
const tokenOf = (config: { NOTES_TOKEN?: string | undefined }) =>
  config.NOTES_TOKEN === undefined || config.NOTES_TOKEN === '' ? undefined : config.NOTES_TOKEN

/** Checks the bearer token against `NOTES_TOKEN`. */
export const auth: AuthHook = ({ token }, { config }) => {
  const expected = tokenOf(config)
  if (expected === undefined) return undefined
  if (token !== undefined && sameSecret(token, expected)) return { user: 'owner' }
  throw new Unauthenticated('The token is not valid', {
    hint: 'Send the value of NOTES_TOKEN as the bearer token',
  })
}

/**
 * The operations that change data. When auth is on (`NOTES_TOKEN` set), they need a principal.
 * This is a middleware rather than `op({ auth: true })` because whether auth is on is
 * decided by the environment at start, not when the operation is defined.
 */
export const writesNeedToken = middleware(async (ctx, next) => {
  if (tokenOf(ctx.config) !== undefined && writes.has(ctx.op.name) && ctx.principal === undefined) {
    throw new Unauthenticated(`Operation "${ctx.op.name}" requires authentication`, {
      hint: 'Send the value of NOTES_TOKEN as the bearer token (Authorization: Bearer <token>)',
    })
  }
  return next()
})

/** Names of the operations that change data. */
export const writes: ReadonlySet<string> = new Set(['add', 'update', 'remove', 'import'])
