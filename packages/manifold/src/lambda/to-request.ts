/**
 * HTTP-shaped events (API Gateway v1 and v2, Function URL, ALB) to the plain request shape
 * of manifold's HTTP router. No WHATWG `Request`: building one costs real time on Node.
 *
 * @module
 */

import type { HttpRequest } from '../http/handle.ts'
import type { AbortSource } from '../invoke.ts'
import { type EventObject, type HttpEventKind, isObject } from './event.ts'

type Values = Record<string, unknown> | null | undefined

function obj(value: unknown): EventObject | undefined {
  return isObject(value) ? value : undefined
}

/** `String(value)`, without the call when it is a string already (as it always is from AWS). */
function text(value: unknown): string {
  return typeof value === 'string' ? value : String(value)
}

const base64Pattern = /^[A-Za-z0-9+/]*={0,2}$/

/**
 * The request body. Decodes base64 only when `isBase64Encoded` is true, and only when the body
 * is base64: AWS always sends valid base64, so a body that is not is passed through as text.
 */
function eventBody(event: EventObject): Uint8Array | string | undefined {
  const body = event.body
  if (typeof body !== 'string' || body === '') return undefined
  if (event.isBase64Encoded === true && body.length % 4 === 0 && base64Pattern.test(body)) {
    return Buffer.from(body, 'base64')
  }
  return body
}

/** Lower-cases names; multi-value headers win and are comma-joined. */
function eventHeaders(single: Values, multi: Values): Record<string, string> {
  const out: Record<string, string> = {}
  if (single) {
    for (const name in single) {
      const value = single[name]
      if (typeof value === 'string') out[name.toLowerCase()] = value
    }
  }
  if (multi) {
    for (const name in multi) {
      const values = multi[name]
      if (Array.isArray(values) && values.length > 0) out[name.toLowerCase()] = values.join(', ')
    }
  }
  return out
}

/**
 * A raw query string from parameter maps. `encode` is false for ALB, whose values arrive
 * exactly as the client sent them (still percent-encoded); API Gateway v1 decodes them.
 */
function eventQuery(single: Values, multi: Values, encode: boolean): string {
  const enc = encode ? encodeURIComponent : (s: string) => s
  const parts: string[] = []
  const source = multi ?? single
  if (!source) return ''
  for (const name in source) {
    const value = source[name]
    const values = Array.isArray(value) ? value : [value]
    for (const v of values) if (typeof v === 'string') parts.push(`${enc(name)}=${enc(v)}`)
  }
  return parts.join('&')
}

/** Claims an upstream authorizer verified: JWT claims, a Lambda authorizer's context, IAM. */
function eventClaims(rc: EventObject | undefined): Record<string, unknown> | undefined {
  const authorizer = obj(rc?.authorizer)
  if (authorizer === undefined) return undefined
  const jwt = obj(authorizer.jwt)
  if (jwt !== undefined) {
    const claims = obj(jwt.claims) ?? {}
    return Array.isArray(jwt.scopes) ? { ...claims, scope: jwt.scopes.join(' ') } : claims
  }
  // A REST Lambda authorizer's context sits flat beside its `principalId`.
  const picked =
    obj(authorizer.claims) ??
    obj(authorizer.lambda) ??
    obj(authorizer.iam) ??
    (typeof authorizer.principalId === 'string' ? authorizer : undefined)
  return picked !== undefined && Object.keys(picked).length > 0 ? picked : undefined
}

/**
 * The request of an event. Header names are lower-cased only when something reads them:
 * a warm GET without auth, CORS or a body never does, and copying a dozen headers into a new
 * object was the dearest step of translating an event.
 */
class EventRequest implements HttpRequest {
  readonly method: string
  readonly path: string
  readonly query: string
  readonly body: Uint8Array | string | undefined
  // Fields, not `declare`: every request starts with the same shape (undefined until set).
  remoteAddress?: string
  signal?: AbortSignal
  abort?: AbortSource
  claims?: Record<string, unknown>
  requestId?: string
  readonly #single: Values
  readonly #multi: Values
  readonly #cookies: unknown
  #headers: Record<string, string | undefined> | undefined

  constructor(
    method: string,
    path: string,
    query: string,
    event: EventObject,
    multi: Values,
    cookies: unknown,
  ) {
    this.method = method
    this.path = path
    this.query = query
    this.body = eventBody(event)
    this.#single = event.headers as Values
    this.#multi = multi
    this.#cookies = cookies
  }

  get headers(): Record<string, string | undefined> {
    if (this.#headers === undefined) {
      const headers = eventHeaders(this.#single, this.#multi)
      // `cookies` holds every Cookie header (v2); captured events may also carry the raw header.
      const cookies = this.#cookies
      if (Array.isArray(cookies) && cookies.length > 0) headers.cookie = cookies.join('; ')
      this.#headers = headers
    }
    return this.#headers
  }

  set headers(value: Record<string, string | undefined>) {
    this.#headers = value
  }
}

function withOptional(
  request: HttpRequest,
  remoteAddress: unknown,
  claims: Record<string, unknown> | undefined,
): HttpRequest {
  if (typeof remoteAddress === 'string' && remoteAddress !== '') request.remoteAddress = remoteAddress
  if (claims !== undefined) request.claims = claims
  return request
}

/** API Gateway v1 and ALB: `encode` is false for ALB, whose query values arrive still encoded. */
function fromRest(event: EventObject, encode: boolean): EventRequest {
  return new EventRequest(
    text(event.httpMethod),
    typeof event.path === 'string' ? event.path : '/',
    eventQuery(
      event.queryStringParameters as Values,
      event.multiValueQueryStringParameters as Values,
      encode,
    ),
    event,
    event.multiValueHeaders as Values,
    undefined,
  )
}

function fromV1(event: EventObject): HttpRequest {
  const rc = obj(event.requestContext)
  return withOptional(fromRest(event, true), obj(rc?.identity)?.sourceIp, eventClaims(rc))
}

function fromV2(event: EventObject): HttpRequest {
  const rc = obj(event.requestContext)
  const http = obj(rc?.http)
  const request = new EventRequest(
    text(http?.method),
    text(event.rawPath),
    typeof event.rawQueryString === 'string' ? event.rawQueryString : '',
    event,
    undefined,
    event.cookies,
  )
  return withOptional(request, http?.sourceIp, eventClaims(rc))
}

function fromAlb(event: EventObject): HttpRequest {
  const request = fromRest(event, false)
  const forwarded = request.headers['x-forwarded-for']?.split(',')[0]?.trim()
  return withOptional(request, forwarded, undefined)
}

/**
 * Translates an HTTP-shaped event to the router's request.
 *
 * @example
 * ```ts
 * import { toHttpRequest } from 'manifold/lambda'
 * const req = toHttpRequest('alb', { httpMethod: 'GET', path: '/notes', queryStringParameters: { q: 'a%20b' }, requestContext: { elb: {} } })
 * req.query // 'q=a%20b'
 * ```
 */
export function toHttpRequest(kind: HttpEventKind, event: EventObject): HttpRequest {
  if (kind === 'alb') return fromAlb(event)
  if (kind === 'apigw-v1') return fromV1(event)
  return fromV2(event)
}
