/**
 * The router's response to the exact shape each integration requires (LAMBDA.md section 3):
 * v1 and ALB multi-value carry repeated headers in `multiValueHeaders`, v2 and Function URL
 * carry `Set-Cookie` in `cookies`, ALB adds `statusDescription`, and bodies that are not text
 * travel as base64.
 *
 * @module
 */

import type { HttpResponse } from '../http/handle.ts'
import { jsonContentType } from '../serialize.ts'
import type { HttpEventKind } from './event.ts'
import type { AlbResult, ApiGatewayV1Result, ApiGatewayV2Result, HttpEventResult } from './types.ts'

type Body = HttpResponse['body']

// Reason phrases come from node:http, loaded on the first ALB answer (the Lambda runtime has
// it loaded already; importing it up front would cost every cold start). 499 is nginx's.
let reasons: Readonly<Record<number, string | undefined>> | undefined

/**
 * The ALB status line of a status.
 *
 * @example
 * ```ts
 * import { statusDescription } from 'manifold/lambda'
 * statusDescription(404) // '404 Not Found'
 * ```
 */
export function statusDescription(status: number): string {
  reasons ??= { ...process.getBuiltinModule('node:http').STATUS_CODES, 499: 'Client Closed Request' }
  const reason = reasons[status]
  return reason === undefined ? String(status) : `${status} ${reason}`
}

const textType = /^(text\/|application\/([\w.+-]*\+)?(json|xml|javascript|x-www-form-urlencoded|x-ndjson))/

/** Whether a body of this type travels as text (else base64). Encoded bodies never do. */
function isTextBody(headers: Record<string, string | string[]>): boolean {
  if (headers['content-encoding'] !== undefined) return false
  const type = headers['content-type']
  const value = Array.isArray(type) ? type[0] : type
  // Lower-cased rather than a case-insensitive pattern, whose first use costs a cold start
  // its Unicode case tables.
  return value === undefined || value === jsonContentType || textType.test(value.toLowerCase())
}

interface Encoded {
  readonly body: string
  readonly isBase64Encoded: boolean
}

function encodeBytes(bytes: Uint8Array, text: boolean): Encoded {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  return text
    ? { body: buffer.toString('utf8'), isBase64Encoded: false }
    : { body: buffer.toString('base64'), isBase64Encoded: true }
}

async function collect(body: AsyncIterable<string | Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = []
  for await (const chunk of body) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk)
  return Buffer.concat(chunks)
}

/** The body as a string, base64 when it is not text. Buffers a streamed body (the only asynchronous case). */
function encodeBody(body: Body, text: boolean): Encoded | Promise<Encoded> {
  if (body === undefined) return { body: '', isBase64Encoded: false }
  if (typeof body === 'string')
    return text ? { body, isBase64Encoded: false } : encodeBytes(Buffer.from(body), false)
  if (body instanceof Uint8Array) return encodeBytes(body, text)
  return collect(body).then((bytes) => encodeBytes(bytes, text))
}

function split(headers: Record<string, string | string[]>, joinAll: boolean) {
  const single: Record<string, string> = {}
  const multi: Record<string, string[]> = {}
  let hasMulti = false
  for (const name in headers) {
    const value = headers[name]
    if (value === undefined) continue
    if (typeof value === 'string') single[name] = value
    else if (value.length === 1) single[name] = value[0] as string
    else if (joinAll)
      single[name] = name === 'set-cookie' ? (value[value.length - 1] as string) : value.join(', ')
    else {
      multi[name] = value
      hasMulti = true
    }
  }
  return { single, multi: hasMulti ? multi : undefined }
}

function toV1(res: HttpResponse, body: string, isBase64Encoded: boolean): ApiGatewayV1Result {
  const { single, multi } = split(res.headers, false)
  const result: ApiGatewayV1Result = { statusCode: res.status, headers: single, body, isBase64Encoded }
  if (multi !== undefined) result.multiValueHeaders = multi
  return result
}

/** The HTTP API (v2) and Function URL shape; its head is also the prelude of a streamed response. */
export function toV2(res: HttpResponse, body: string, isBase64Encoded: boolean): ApiGatewayV2Result {
  const source = res.headers
  // Only `set-cookie` may hold several values; without it the headers go out as they are.
  if (source['set-cookie'] === undefined) {
    return { statusCode: res.status, headers: source as Record<string, string>, body, isBase64Encoded }
  }
  const headers: Record<string, string> = {}
  let cookies: string[] | undefined
  for (const name in source) {
    const value = source[name]
    if (value === undefined) continue
    if (name === 'set-cookie') cookies = typeof value === 'string' ? [value] : [...value]
    else headers[name] = typeof value === 'string' ? value : value.join(', ')
  }
  const result: ApiGatewayV2Result = { statusCode: res.status, headers, body, isBase64Encoded }
  if (cookies !== undefined) result.cookies = cookies
  return result
}

function toAlb(res: HttpResponse, body: string, isBase64Encoded: boolean, multiValue: boolean): AlbResult {
  const base = { statusCode: res.status, statusDescription: statusDescription(res.status) }
  if (!multiValue) return { ...base, headers: split(res.headers, true).single, body, isBase64Encoded }
  const multiValueHeaders: Record<string, string[]> = {}
  for (const name in res.headers) {
    const value = res.headers[name]
    if (value !== undefined) multiValueHeaders[name] = typeof value === 'string' ? [value] : [...value]
  }
  return { ...base, multiValueHeaders, body, isBase64Encoded }
}

/**
 * Renders the router's response for the integration that sent the event. `multiValue` tells
 * whether the ALB target group has multi-value headers on (the event carries them iff it has).
 *
 * @example
 * ```ts
 * import { toEventResult } from 'manifold/lambda'
 * const result = await toEventResult('alb', { status: 404, headers: {}, body: '' }, false)
 * result // { statusCode: 404, statusDescription: '404 Not Found', headers: {}, body: '', isBase64Encoded: false }
 * ```
 */
export async function toEventResult(
  kind: HttpEventKind,
  res: HttpResponse,
  multiValue: boolean,
): Promise<HttpEventResult> {
  return renderEventResult(kind, res, multiValue)
}

/** {@link toEventResult}, synchronous unless the body is a stream to buffer. */
export function renderEventResult(
  kind: HttpEventKind,
  res: HttpResponse,
  multiValue: boolean,
): HttpEventResult | Promise<HttpEventResult> {
  const body = res.body
  const text = isTextBody(res.headers)
  if (text && typeof body === 'string') return shape(kind, res, body, false, multiValue)
  const encoded = encodeBody(body, text)
  return encoded instanceof Promise
    ? encoded.then((e) => shape(kind, res, e.body, e.isBase64Encoded, multiValue))
    : shape(kind, res, encoded.body, encoded.isBase64Encoded, multiValue)
}

function shape(
  kind: HttpEventKind,
  res: HttpResponse,
  body: string,
  isBase64Encoded: boolean,
  multiValue: boolean,
): HttpEventResult {
  if (kind === 'apigw-v1') return toV1(res, body, isBase64Encoded)
  if (kind === 'alb') return toAlb(res, body, isBase64Encoded, multiValue)
  return toV2(res, body, isBase64Encoded)
}
