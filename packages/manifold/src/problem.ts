/**
 * RFC 9457 problem details: the one wire form of an error on every surface.
 *
 * @module
 */
import {
  createError,
  type ErrorCode,
  errorCodes,
  type FieldError,
  isErrorCode,
  type ManifoldError,
} from './errors.ts'

/** An error as `application/problem+json`. */
export interface Problem {
  readonly type: string
  readonly title: string
  readonly status: number
  readonly detail: string
  readonly code: ErrorCode
  readonly hint?: string
  readonly errors?: readonly FieldError[]
  readonly requestId?: string
}

/** The media type of {@link Problem}. */
export const problemContentType = 'application/problem+json'

/** Base of the `type` URI of each code; the page documents every code. */
export const problemTypeBase = 'https://manifold.dev/errors#'

/**
 * The problem details of an error. Never includes `cause` or a stack.
 *
 * @example
 * ```ts
 * import { NotFound, toProblem } from 'manifold'
 * toProblem(new NotFound('no note "42"')).status // 404
 * ```
 */
export function toProblem(error: ManifoldError, requestId?: string): Problem {
  const info = errorCodes[error.code]
  const problem: {
    -readonly [K in keyof Problem]: Problem[K]
  } = {
    type: problemTypeBase + error.code,
    title: info.title,
    status: info.status,
    detail: error.message,
    code: error.code,
  }
  if (error.hint !== undefined) problem.hint = error.hint
  if (error.errors.length > 0) problem.errors = error.errors.map(({ path, message }) => ({ path, message }))
  if (requestId !== undefined) problem.requestId = requestId
  return problem
}

/** Tells whether a parsed JSON value looks like a manifold problem. */
export function isProblem(value: unknown): value is Problem {
  if (typeof value !== 'object' || value === null) return false
  const v = value as Record<string, unknown>
  return isErrorCode(v.code) && typeof v.status === 'number'
}

/**
 * Turns a received problem back into the same {@link ManifoldError} (client, remote CLI).
 *
 * @example
 * ```ts
 * import { fromProblem } from 'manifold'
 * fromProblem({ type: '', title: 'Not found', status: 404, detail: 'gone', code: 'not_found' }).code // 'not_found'
 * ```
 */
export function fromProblem(problem: Problem): ManifoldError {
  const errors = Array.isArray(problem.errors)
    ? problem.errors
        .filter((e): e is FieldError => typeof e === 'object' && e !== null)
        .map((e) => ({ path: String(e.path ?? ''), message: String(e.message ?? '') }))
    : undefined
  return createError(problem.code, typeof problem.detail === 'string' ? problem.detail : problem.title, {
    hint: typeof problem.hint === 'string' ? problem.hint : undefined,
    errors,
  })
}
