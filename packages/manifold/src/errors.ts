/**
 * One error model for every surface. The table below is the single source of truth: every
 * adapter reads its HTTP status and exit code from it, never decides on its own.
 *
 * @module
 */

/** What one error code means on every surface. */
export interface ErrorCodeInfo {
  /** HTTP status on the wire. */
  readonly status: number
  /** Process exit code of the CLI (sysexits.h). */
  readonly exitCode: number
  /** Short human title, the `title` of the problem details. */
  readonly title: string
  /** Whether a retry of the same call may succeed (queues retry these). */
  readonly retryable: boolean
}

/** One row of the table, with its literal types; a call per row keeps the bundled table short. */
function row<const S extends number, const X extends number, const T extends string, const R extends boolean>(
  status: S,
  exitCode: X,
  title: T,
  retryable: R,
): { readonly status: S; readonly exitCode: X; readonly title: T; readonly retryable: R } {
  return { status, exitCode, title, retryable }
}

/**
 * The code table of DESIGN.md as data.
 *
 * @example
 * ```ts
 * import { errorCodes } from 'manifold'
 * errorCodes.not_found.status // 404
 * ```
 */
export const errorCodes = {
  usage: row(400, 64, 'Bad usage', false),
  invalid_input: row(400, 65, 'Invalid input', false),
  unauthenticated: row(401, 77, 'Unauthenticated', false),
  permission_denied: row(403, 77, 'Permission denied', false),
  not_found: row(404, 66, 'Not found', false),
  conflict: row(409, 65, 'Conflict', false),
  payload_too_large: row(413, 65, 'Payload too large', false),
  unsupported_media_type: row(415, 65, 'Unsupported media type', false),
  rate_limited: row(429, 75, 'Rate limited', true),
  cancelled: row(499, 130, 'Cancelled', false),
  internal: row(500, 70, 'Internal error', true),
  unavailable: row(503, 69, 'Unavailable', true),
  timeout: row(504, 75, 'Timeout', true),
} satisfies Record<string, ErrorCodeInfo>

/** Every error code manifold knows. */
export type ErrorCode = keyof typeof errorCodes

/** One failing field of an input. `path` is dotted (`tags.0`), empty for the whole input. */
export interface FieldError {
  readonly path: string
  readonly message: string
}

/** Options of {@link ManifoldError}. */
export interface ManifoldErrorOptions {
  /** The fix, in one sentence. Shown last by the CLI, sent as `hint` on the wire. */
  readonly hint?: string | undefined
  /** Field errors of `invalid_input`. */
  readonly errors?: readonly FieldError[] | undefined
  /** The original error; kept in process, never serialized. */
  readonly cause?: unknown
}

/** Tells whether a string is a known error code. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(errorCodes, value)
}

/**
 * The one error type of manifold. Throw it (or a subclass such as {@link NotFound}) from a
 * handler; every surface renders it from the code table.
 *
 * @example
 * ```ts
 * import { ManifoldError } from 'manifold'
 * throw new ManifoldError('conflict', 'Note "42" changed since version 3', { hint: 'Fetch it again and retry' })
 * ```
 */
export class ManifoldError extends Error {
  override name = 'ManifoldError'
  readonly code: ErrorCode
  readonly hint: string | undefined
  readonly errors: readonly FieldError[]

  constructor(code: ErrorCode, message: string, options: ManifoldErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    if (!isErrorCode(code)) throw new TypeError(`Unknown error code "${String(code)}"`)
    this.code = code
    this.hint = options.hint
    this.errors = options.errors ?? []
  }

  /** HTTP status of this error's code. */
  get status(): number {
    return errorCodes[this.code].status
  }

  /** CLI exit code of this error's code. */
  get exitCode(): number {
    return errorCodes[this.code].exitCode
  }

  /** Whether a retry may succeed. */
  get retryable(): boolean {
    return errorCodes[this.code].retryable
  }
}

/** Tells whether a value is a {@link ManifoldError}, also across copies of the package. */
export function isManifoldError(value: unknown): value is ManifoldError {
  return (
    value instanceof ManifoldError ||
    (value instanceof Error &&
      value.name === 'ManifoldError' &&
      isErrorCode((value as { code?: unknown }).code))
  )
}

/** A constructor of one error code, with a `throw` shortcut usable in expressions. */
export interface ErrorClass<C extends ErrorCode> {
  new (message?: string, options?: ManifoldErrorOptions): ManifoldError & { readonly code: C }
  /** Throws a new error of this code; usable as `value ?? NotFound.throw('…')`. */
  throw(message?: string, options?: ManifoldErrorOptions): never
  readonly code: C
}

function defineError<C extends ErrorCode>(code: C, className: string): ErrorClass<C> {
  const Class = class extends ManifoldError {
    static readonly code = code
    constructor(message: string = errorCodes[code].title, options: ManifoldErrorOptions = {}) {
      super(code, message, options)
    }
    static throw(message?: string, options?: ManifoldErrorOptions): never {
      throw new Class(message, options)
    }
  }
  Object.defineProperty(Class, 'name', { value: className })
  return Class as unknown as ErrorClass<C>
}

/** `usage`: bad argv or request shape. */
export const UsageError = /* @__PURE__ */ defineError('usage', 'UsageError')
/** `invalid_input`: input failed the schema. */
export const InvalidInput = /* @__PURE__ */ defineError('invalid_input', 'InvalidInput')
/** `unauthenticated`: no or bad credentials. */
export const Unauthenticated = /* @__PURE__ */ defineError('unauthenticated', 'Unauthenticated')
/** `permission_denied`: authenticated, but not allowed. */
export const PermissionDenied = /* @__PURE__ */ defineError('permission_denied', 'PermissionDenied')
/** `not_found`: the thing does not exist. */
export const NotFound = /* @__PURE__ */ defineError('not_found', 'NotFound')
/** `conflict`: already exists, or a version mismatch. */
export const Conflict = /* @__PURE__ */ defineError('conflict', 'Conflict')
/** `payload_too_large`: the body is over the limit. */
export const PayloadTooLarge = /* @__PURE__ */ defineError('payload_too_large', 'PayloadTooLarge')
/** `unsupported_media_type`: the body is not in a format the operation reads. */
export const UnsupportedMediaType = /* @__PURE__ */ defineError(
  'unsupported_media_type',
  'UnsupportedMediaType',
)
/** `rate_limited`: too many calls; retry later. */
export const RateLimited = /* @__PURE__ */ defineError('rate_limited', 'RateLimited')
/** `cancelled`: the caller went away or pressed Ctrl-C. */
export const Cancelled = /* @__PURE__ */ defineError('cancelled', 'Cancelled')
/** `internal`: anything unexpected. */
export const Internal = /* @__PURE__ */ defineError('internal', 'Internal')
/** `unavailable`: a dependency is down. */
export const Unavailable = /* @__PURE__ */ defineError('unavailable', 'Unavailable')
/** `timeout`: a deadline passed. */
export const Timeout = /* @__PURE__ */ defineError('timeout', 'Timeout')

const classes: { [C in ErrorCode]: ErrorClass<C> } = {
  usage: UsageError,
  invalid_input: InvalidInput,
  unauthenticated: Unauthenticated,
  permission_denied: PermissionDenied,
  not_found: NotFound,
  conflict: Conflict,
  payload_too_large: PayloadTooLarge,
  unsupported_media_type: UnsupportedMediaType,
  rate_limited: RateLimited,
  cancelled: Cancelled,
  internal: Internal,
  unavailable: Unavailable,
  timeout: Timeout,
}

/**
 * Builds the error of a code as its own class (so `instanceof NotFound` holds).
 *
 * @example
 * ```ts
 * import { createError, NotFound } from 'manifold'
 * createError('not_found', 'no note "42"') instanceof NotFound // true
 * ```
 */
export function createError(
  code: ErrorCode,
  message: string,
  options: ManifoldErrorOptions = {},
): ManifoldError {
  return new classes[code](message, options)
}

/**
 * Turns anything thrown into a {@link ManifoldError}. Unknown values become `internal`
 * with the original kept as `cause` (never serialized).
 */
export function toManifoldError(value: unknown): ManifoldError {
  if (isManifoldError(value)) return value
  if (value instanceof Error && (value.name === 'AbortError' || value.name === 'TimeoutError')) {
    return abortError(value, value)
  }
  return new Internal('Internal error', { cause: value })
}

/**
 * The error of an aborted call: `timeout` when the abort reason is a `TimeoutError`, else
 * `cancelled`; `cause` is what the call threw.
 */
export function abortError(reason: unknown, cause: unknown): ManifoldError {
  return reason instanceof Error && reason.name === 'TimeoutError'
    ? new Timeout('The call ran out of time', { cause })
    : new Cancelled('The call was cancelled', { cause })
}
