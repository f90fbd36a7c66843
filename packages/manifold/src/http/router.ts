/**
 * The route table of an app: exact paths grouped by length, templated paths (`/notes/{id}`) as
 * segment lists tried in order. Built once per handler; a lookup allocates only for params.
 *
 * @module
 */
import type { AnyApp } from '../app.ts'
import { routesOf, segmentParam } from '../internal/route.ts'
import type { Coerce } from '../invoke.ts'
import type { AnyOp } from '../op.ts'
import { coerceInput } from './input.ts'

/** One operation bound to one method of one path. */
export interface Binding {
  readonly op: AnyOp
  readonly method: string
  readonly status: number
  /** Input comes from the query string (GET) instead of a JSON body. */
  readonly fromQuery: boolean
  /** Names of the path parameters, in order. */
  readonly params: readonly string[]
  /** A lazily read input with its strings coerced (see `./input.ts`): every value, or only the path's. */
  readonly coerceAll: Coerce
  readonly coerceParams: Coerce
}

/** The bindings of one path, by method. */
export interface PathEntry {
  readonly methods: Map<string, Binding>
  /** The `Allow` header value: every method plus HEAD (for GET) and OPTIONS. */
  allow: string
}

interface Templated {
  /** Literal segments, or `null` where a parameter goes. */
  readonly segments: readonly (string | null)[]
  readonly entry: PathEntry
}

/** What a lookup found: the path's entry and its decoded parameters. */
export interface Match {
  readonly entry: PathEntry
  readonly values: readonly string[] | undefined
}

/** A compiled route table. */
export interface Router {
  find(path: string): Match | undefined
}

function entryFor(map: Map<string, PathEntry>, key: string): PathEntry {
  let entry = map.get(key)
  if (entry === undefined) {
    entry = { methods: new Map(), allow: '' }
    map.set(key, entry)
  }
  return entry
}

function addBinding(entry: PathEntry, binding: Binding): void {
  entry.methods.set(binding.method, binding)
  const methods = [...entry.methods.keys()]
  if (entry.methods.has('GET')) methods.push('HEAD')
  methods.push('OPTIONS')
  entry.allow = methods.join(', ')
}

/**
 * The same name as a property key: V8 internalizes keys. A name sliced from the template is a
 * fresh string, and storing an input field under a key that is not internalized sends the
 * store to the megamorphic stub (about 300 instructions a call, measured under callgrind).
 */
function propertyKey(name: string): string {
  return Object.keys({ [name]: 0 })[0] as string
}

/** Builds the route table of an app from `routesOf` of each operation. */
export function createRouter(target: AnyApp): Router {
  const exact = new Map<string, PathEntry>()
  const templatedByKey = new Map<string, PathEntry>()
  const templated: Templated[] = []
  for (const op of target.operations) {
    for (const route of routesOf(op)) {
      const parts = route.path.split('/').slice(1)
      const params: string[] = []
      const segments = parts.map((part) => {
        const param = segmentParam(part)
        if (param === undefined) return part
        params.push(propertyKey(param))
        return null
      })
      const binding: Binding = {
        op,
        method: route.method,
        status: route.status,
        fromQuery: route.method === 'GET',
        params,
        // Made once here, so that a call hands over a coercion without making a closure.
        coerceAll: (raw) => coerceInput(op, raw, params, true),
        coerceParams: (raw) => coerceInput(op, raw, params, false),
      }
      if (params.length === 0) {
        addBinding(entryFor(exact, route.path), binding)
        continue
      }
      const key = segments.map((s) => s ?? '{}').join('/')
      let entry = templatedByKey.get(key)
      if (entry === undefined) {
        entry = entryFor(templatedByKey, key)
        templated.push({ segments, entry })
      }
      addBinding(entry, binding)
    }
  }
  // Literal segments win over parameters: `/notes/search` before `/notes/{id}`.
  templated.sort((a, b) => {
    for (let i = 0; i < Math.min(a.segments.length, b.segments.length); i++) {
      const x = a.segments[i] === null ? 1 : 0
      const y = b.segments[i] === null ? 1 : 0
      if (x !== y) return x - y
    }
    return 0
  })
  // Literal paths by length, each with its one Match: a lookup compares the path with the one
  // or two routes of its length, cheaper than hashing a string that is new on every request.
  const byLength: [string, Match][][] = []
  for (const [path, entry] of exact) {
    let bucket = byLength[path.length]
    if (bucket === undefined) {
      bucket = []
      byLength[path.length] = bucket
    }
    bucket.push([path, { entry, values: undefined }])
  }
  // Two functions, so that each is small enough for V8 to inline into the handler.
  return {
    find: (path) =>
      findLiteral(byLength, path) ?? (templated.length === 0 ? undefined : findTemplated(templated, path)),
  }
}

function findLiteral(byLength: readonly [string, Match][][], path: string): Match | undefined {
  const bucket = byLength[path.length]
  if (bucket === undefined) return undefined
  for (let i = 0; i < bucket.length; i++) {
    const literal = bucket[i] as [string, Match]
    if (literal[0] === path) return literal[1]
  }
  return undefined
}

/** Segments are compared in place: no array of parts, and strings only for parameters. */
function findTemplated(templated: readonly Templated[], path: string): Match | undefined {
  outer: for (const t of templated) {
    const segments = t.segments
    let values: string[] | undefined
    let at = 1
    for (let i = 0; i < segments.length; i++) {
      if (at > path.length) continue outer
      const last = i === segments.length - 1
      const seg = segments[i] as string | null
      let end: number
      if (seg === null) {
        end = path.indexOf('/', at)
        if (end === -1) end = path.length
        if (end === at || (last ? end !== path.length : end === path.length)) continue outer
        const part = path.slice(at, end)
        if (values === undefined) values = [part]
        else values.push(part)
      } else {
        // A literal needs no search for its end: it is there, then `/` (or the end), or not.
        end = at + seg.length
        if (!path.startsWith(seg, at) || (last ? end !== path.length : path.charCodeAt(end) !== 47)) {
          continue outer
        }
      }
      at = end + 1
    }
    return { entry: t.entry, values }
  }
  return undefined
}
