/**
 * Turns the strings of a query string and of path parameters into the types the input's
 * JSON Schema asks for (`?limit=10` → `{ limit: 10 }`), so GET and POST validate the same.
 *
 * The JSON Schema is derived only when a call needs it: until then a call gets the strings as
 * they are, with a way to coerce them that `invoke` takes when the strings fail the schema
 * (`Coercion`). An input of strings only never derives it: a cold start saves the conversion.
 *
 * @module
 */
import type { AnyOp } from '../op.ts'
import { type JsonSchema, toJsonSchema } from '../schema.ts'

/** What a field accepts, reduced to what coercion needs. */
interface FieldKind {
  readonly types: ReadonlySet<string>
  readonly items: FieldKind | undefined
}

/** Keys that could reach `Object.prototype` through an assignment; never copied from input. */
export function isUnsafeKey(key: string): boolean {
  return key === '__proto__' || key === 'constructor' || key === 'prototype'
}

function kindOf(schema: unknown): FieldKind {
  const types = new Set<string>()
  let items: FieldKind | undefined
  const visit = (s: unknown): void => {
    if (typeof s !== 'object' || s === null) return
    const node = s as JsonSchema
    const t = node.type
    if (typeof t === 'string') types.add(t)
    else if (Array.isArray(t)) for (const x of t) if (typeof x === 'string') types.add(x)
    if (node.items !== undefined && items === undefined) items = kindOf(node.items)
    for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
      const list = node[key]
      if (Array.isArray(list)) for (const x of list) visit(x)
    }
  }
  visit(schema)
  return { types, items }
}

const kinds = new WeakMap<AnyOp, Map<string, FieldKind> | null>()

/** Whether the field kinds of an operation are at hand (derived, or known not to exist). */
export function hasFieldKinds(op: AnyOp): boolean {
  return op.input === undefined || kinds.has(op)
}

/** Field kinds of an operation's input, from its JSON Schema; cached. `null` without one. */
export function fieldKinds(op: AnyOp): Map<string, FieldKind> | null {
  const cached = kinds.get(op)
  if (cached !== undefined) return cached
  let result: Map<string, FieldKind> | null = null
  if (op.input !== undefined) {
    try {
      const props = toJsonSchema(op.input, 'input').properties
      if (typeof props === 'object' && props !== null) {
        result = new Map()
        for (const [name, schema] of Object.entries(props)) result.set(name, kindOf(schema))
      }
    } catch {
      // A schema without JSON Schema support still validates; its query values stay strings.
      result = null
    }
  }
  kinds.set(op, result)
  return result
}

function coerceScalar(value: string, kind: FieldKind | undefined): unknown {
  if (kind === undefined) return value
  const { types } = kind
  if (types.has('string')) return value
  if ((types.has('number') || types.has('integer')) && value.trim() !== '') {
    const n = Number(value)
    if (!Number.isNaN(n)) return n
  }
  if (types.has('boolean')) {
    if (value === 'true' || value === '1' || value === '') return true
    if (value === 'false' || value === '0') return false
  }
  if (types.has('null') && (value === 'null' || value === '')) return null
  return value
}

function coerce(values: string[], kind: FieldKind | undefined): unknown {
  // One value for a field that takes a string stays that string, even when the field also takes
  // an array: the same answer whether or not the schema's types were derived yet (see above).
  if (kind?.types.has('array') && (values.length > 1 || !kind.types.has('string'))) {
    return values.map((v) => coerceScalar(v, kind.items))
  }
  // A repeated key for a scalar field: the last one wins, as in most servers.
  return coerceScalar(values[values.length - 1] as string, kind)
}

function decode(text: string): string {
  const plus = text.includes('+') ? text.replace(/\+/g, ' ') : text
  return plus.includes('%') ? decodeURIComponent(plus) : plus
}

/**
 * Parses a raw query string (without `?`) into an input object, coercing by the schema (or,
 * with `lazy`, leaving the values strings when no key repeats; it then returns undefined if a
 * key does). Throws `URIError` for a broken percent-escape.
 */
export function queryInput(op: AnyOp, query: string, lazy = false): Record<string, unknown> | undefined {
  // The parsing apart, so that V8 can inline the common empty query.
  return query === '' ? {} : parseQuery(op, query, lazy)
}

function parseQuery(op: AnyOp, query: string, lazy: boolean): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {}
  const grouped = new Map<string, string[]>()
  for (const pair of query.split('&')) {
    if (pair === '') continue
    const eq = pair.indexOf('=')
    let key = decode(eq === -1 ? pair : pair.slice(0, eq))
    const value = eq === -1 ? '' : decode(pair.slice(eq + 1))
    if (key.endsWith('[]')) key = key.slice(0, -2)
    if (isUnsafeKey(key)) continue
    const list = grouped.get(key)
    if (list === undefined) grouped.set(key, [value])
    // A repeated key may be an array or a scalar (the last wins): only the schema can tell.
    else if (lazy) return undefined
    else list.push(value)
  }
  const fields = lazy ? undefined : fieldKinds(op)
  for (const [key, values] of grouped) out[key] = coerce(values, fields?.get(key))
  return out
}

/** Adds decoded path parameters to an input object, coerced by the schema unless `lazy`. */
export function addParams(
  op: AnyOp,
  input: Record<string, unknown>,
  names: readonly string[],
  values: readonly string[],
  lazy = false,
): void {
  const fields = lazy ? undefined : fieldKinds(op)
  for (let i = 0; i < names.length; i++) {
    const name = names[i] as string
    if (isUnsafeKey(name)) continue
    const value = values[i] as string
    input[name] = coerceScalar(value.includes('%') ? decodeURIComponent(value) : value, fields?.get(name))
  }
}

/**
 * A lazily read input as reading it without `lazy` gives it: its strings coerced by the
 * schema's types. `all` when every value came from the query or the path, else (beside a
 * JSON body) only the path's are strings. Values that are no strings were coerced already
 * (a repeated query key makes `readInput` coerce at once): they stay as they are.
 */
export function coerceInput(
  op: AnyOp,
  raw: unknown,
  params: readonly string[],
  all: boolean,
): Record<string, unknown> {
  const fields = fieldKinds(op)
  const out = { ...(raw as Record<string, unknown>) }
  for (const key of all ? Object.keys(out) : params) {
    const value = out[key]
    // A lazy read saw each query key once: one value, as `queryInput` coerces it.
    if (typeof value === 'string') {
      const kind = fields?.get(key)
      out[key] = params.includes(key) ? coerceScalar(value, kind) : coerce([value], kind)
    }
  }
  return out
}
