/**
 * Auth of the notes app: off unless `NOTES_TOKEN` is set; then every write needs that
 * bearer token, compared in constant time.
 *
 * @module
 */
import { createHash, timingSafeEqual } from 'node:crypto'
import { type AuthHook, Unauthenticated } from 'manifold'

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
 * Whether an operation that changes data needs a principal: only when auth is on
 * (`NOTES_TOKEN` set). Decided from the validated config at call time, before the input
 * is validated, so an anonymous caller learns nothing about the input rules.
 */
export const needsToken = (config: { NOTES_TOKEN?: string | undefined }): boolean =>
  tokenOf(config) !== undefined
