/**
 * CORS: which origins may call the API from a browser, and the preflight answer.
 *
 * @module
 */

/** CORS settings of the HTTP handler. */
export interface CorsOptions {
  /** Allowed origins: `'*'`, a list of exact origins, or a predicate. Defaults to `'*'`. */
  readonly origin?: '*' | readonly string[] | ((origin: string) => boolean)
  /** Send `Access-Control-Allow-Credentials: true` (never with `'*'`, the origin is echoed). */
  readonly credentials?: boolean
  /** Request headers a browser may send; defaults to echoing the preflight's request. */
  readonly allowHeaders?: readonly string[]
  /** Response headers a browser may read; `x-request-id` is always exposed. */
  readonly exposeHeaders?: readonly string[]
  /** Seconds a browser may cache a preflight; defaults to 600. */
  readonly maxAge?: number
}

/** A compiled CORS policy. */
export interface Cors {
  /** The `Access-Control-Allow-Origin` value for a request origin, or undefined when denied. */
  allowOrigin(origin: string): string | undefined
  /** Adds the headers of an actual (non-preflight) response. */
  apply(headers: Record<string, string | string[]>, origin: string): void
  /** Adds the preflight headers. */
  preflight(
    headers: Record<string, string | string[]>,
    origin: string,
    allow: string,
    requested: string | undefined,
  ): void
}

/**
 * Compiles CORS options into the policy `createHandler` and `lambda` take; `true` means every
 * origin. (`serve` and `fetchHandler` take the options themselves.)
 *
 * @example
 * ```ts
 * import { app } from 'manifold'
 * import { cors } from 'manifold/http'
 * import { lambda } from 'manifold/lambda'
 * const hello = app({ name: 'hello', version: '1.0.0', operations: [] })
 * export const handler = lambda(hello, { http: { cors: cors({ origin: ['https://app.example'] }) } })
 * ```
 */
export function createCors(options: CorsOptions | true): Cors {
  const o: CorsOptions = options === true ? {} : options
  const origin = o.origin ?? '*'
  const expose = ['x-request-id', ...(o.exposeHeaders ?? [])].join(', ')
  const maxAge = String(o.maxAge ?? 600)
  const allowOrigin = (value: string): string | undefined => {
    if (origin === '*') return o.credentials === true ? value : '*'
    if (typeof origin === 'function') return origin(value) ? value : undefined
    return origin.includes(value) ? value : undefined
  }
  const base = (headers: Record<string, string | string[]>, value: string): boolean => {
    const allowed = allowOrigin(value)
    if (allowed === undefined) return false
    headers['access-control-allow-origin'] = allowed
    if (allowed !== '*') headers.vary = 'Origin'
    if (o.credentials === true) headers['access-control-allow-credentials'] = 'true'
    return true
  }
  return {
    allowOrigin,
    apply(headers, value) {
      if (base(headers, value)) headers['access-control-expose-headers'] = expose
    },
    preflight(headers, value, allow, requested) {
      if (!base(headers, value)) return
      headers['access-control-allow-methods'] = allow
      const allowHeaders = o.allowHeaders?.join(', ') ?? requested
      if (allowHeaders !== undefined && allowHeaders !== '')
        headers['access-control-allow-headers'] = allowHeaders
      headers['access-control-max-age'] = maxAge
    },
  }
}
