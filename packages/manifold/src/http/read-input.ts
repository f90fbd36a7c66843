/**
 * Reading a request's input: body limits, media type, JSON parsing with guards against deep
 * nesting and prototype keys, query coercion and path parameters.
 *
 * @module
 */
import { type ManifoldError, PayloadTooLarge, UnsupportedMediaType, UsageError } from '../errors.ts'
import { invalidInput } from '../schema.ts'
import type { HttpRequest } from './handle.ts'
import { addParams, isUnsafeKey, queryInput } from './input.ts'
import type { Binding, Match } from './router.ts'

// Made on first use: `TextDecoder` is a lazily loaded global on Node, and a cold start that
// reads no byte body should not pay for loading it.
let decoder: TextDecoder | undefined

function isJsonType(type: string): boolean {
  if (type === 'application/json') return true
  const semi = type.indexOf(';')
  const base = (semi === -1 ? type : type.slice(0, semi)).trim().toLowerCase()
  return base === 'application/json' || (base.startsWith('application/') && base.endsWith('+json'))
}

function byteLength(body: Uint8Array | string): number {
  if (typeof body !== 'string') return body.byteLength
  // A string's UTF-8 length is at most 3 bytes per UTF-16 unit; count exactly only near the limit.
  return body.length
}

/** Drops keys that could reach a prototype if some code later assigns them. */
function reviver(this: unknown, key: string, value: unknown): unknown {
  return isUnsafeKey(key) ? undefined : value
}

function tooLarge(size: number, limit: number): ManifoldError {
  return new PayloadTooLarge(`Request body is ${size} bytes; the limit is ${limit}`, {
    hint: 'Send a smaller body',
  })
}

function parseBody(req: HttpRequest, limit: number): unknown {
  if (req.bodyTooLarge !== undefined) throw tooLarge(req.bodyTooLarge, limit)
  const body = req.body
  if (body === undefined || (typeof body === 'string' ? body.length === 0 : body.byteLength === 0)) {
    return undefined
  }
  const size = typeof body === 'string' && body.length * 3 > limit ? utf8Length(body) : byteLength(body)
  if (size > limit) throw tooLarge(size, limit)
  const type = req.headers['content-type']
  if (type !== undefined && !isJsonType(type)) {
    throw new UnsupportedMediaType(`Cannot read a body of type "${type}": expected "application/json"`, {
      hint: 'Send the input as JSON with "Content-Type: application/json"',
    })
  }
  let text: string
  if (typeof body === 'string') text = body
  else {
    decoder ??= new TextDecoder()
    text = decoder.decode(body)
  }
  if (tooDeep(text, maxDepth)) {
    throw invalidInput([{ path: '', message: `The request body nests deeper than ${maxDepth} levels` }])
  }
  try {
    // Only the rare body that holds a risky key (however its text spells it) pays for the
    // reviver, parsed a second time. Looking at the parsed keys is cheaper than scanning the
    // text: JSON.parse interns them, so each test is a pointer comparison.
    const value: unknown = JSON.parse(text)
    return hasUnsafeKey(value) ? JSON.parse(text, reviver) : value
  } catch (error) {
    throw invalidInput(
      [{ path: '', message: `Cannot parse the request body as JSON: ${(error as Error).message}` }],
      'input',
    )
  }
}

const maxDepth = 64

/** Whether a parsed JSON value has a key {@link isUnsafeKey} refuses, at any depth. */
function hasUnsafeKey(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (hasUnsafeKey(value[i])) return true
    return false
  }
  for (const key in value) {
    if (isUnsafeKey(key) || hasUnsafeKey((value as Record<string, unknown>)[key])) return true
  }
  return false
}

/** Whether JSON text nests arrays and objects deeper than `max`; strings are skipped. */
function tooDeep(text: string, max: number): boolean {
  // Short bodies cannot nest deep enough to matter.
  if (text.length <= max * 2) return false
  let depth = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 34) {
      // Skip a string, honouring backslash escapes.
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i)
        if (d === 92) i++
        else if (d === 34) break
      }
    } else if (c === 123 || c === 91) {
      if (++depth > max) return true
    } else if (c === 125 || c === 93) depth--
  }
  return false
}

/** Bytes of a string in UTF-8. */
export function utf8Length(text: string): number {
  return new TextEncoder().encode(text).byteLength
}

/**
 * The raw input of a call: the JSON body (or, for GET and a bodiless request, the query
 * string coerced by the schema), with path parameters added. Throws the client error to send.
 * With `lazy`, values from the query and the path stay strings (see `./input.ts`).
 */
export function readInput(
  binding: Binding,
  match: Match,
  req: HttpRequest,
  limit: number,
  lazy = false,
): unknown {
  const { op } = binding
  let input: unknown
  if (!binding.fromQuery) input = parseBody(req, limit)
  if (input === undefined) {
    try {
      input = queryInput(op, req.query, lazy) ?? queryInput(op, req.query)
    } catch {
      throw new UsageError('Cannot decode the query string: it has a broken percent-escape')
    }
    if (binding.params.length === 0 && op.input === undefined && Object.keys(input as object).length === 0)
      input = undefined
  }
  if (match.values !== undefined) {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      if (input !== undefined) throw invalidInput([{ path: '', message: 'Expected a JSON object' }])
      input = {}
    }
    try {
      addParams(op, input as Record<string, unknown>, binding.params, match.values, lazy)
    } catch {
      throw new UsageError('Cannot decode a path parameter: it has a broken percent-escape')
    }
  }
  return input
}
