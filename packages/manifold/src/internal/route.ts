import type { AnyOp, HttpMethod } from '../op.ts'

/** The HTTP routes one operation answers; empty when `http: false`. */
export interface OpRoute {
  readonly method: HttpMethod
  readonly path: string
  /** Success status when the operation returns a value. */
  readonly status: number
}

/** Default path of an operation: `/<name with dots as slashes>`. */
export function defaultPath(name: string): string {
  return `/${name.split('.').join('/')}`
}

/**
 * Routes of an operation: the `http` override, or `POST /<name>` (+ `GET` when readOnly).
 *
 * @example
 * ```ts
 * import { op, routesOf } from 'manifold'
 * routesOf(op({ name: 'tags.list', readOnly: true, handler: () => [] }))
 * // [{ method: 'GET', path: '/tags/list', status: 200 }, { method: 'POST', path: '/tags/list', status: 200 }]
 * ```
 */
export function routesOf(op: AnyOp): OpRoute[] {
  if (op.http === false) return []
  const path = op.http.path ?? defaultPath(op.name)
  const status = op.http.status ?? 200
  if (op.http.method !== undefined) return [{ method: op.http.method, path, status }]
  const routes: OpRoute[] = [{ method: 'POST', path, status }]
  if (op.readOnly) routes.unshift({ method: 'GET', path, status })
  return routes
}

/**
 * The `{param}` placeholders of a path template, as `[start, end)` index pairs (braces
 * included): a `{` followed by one or more characters other than `}` and `/`, then `}`.
 * A scan rather than a pattern: `app()` runs it at import time, where compiling a regular
 * expression is a cold start's cost.
 */
function placeholders(path: string): number[] {
  const found: number[] = []
  let at = path.indexOf('{')
  while (at !== -1) {
    let end = at + 1
    while (end < path.length && path[end] !== '}' && path[end] !== '/') end++
    if (path[end] === '}' && end > at + 1) {
      found.push(at, end + 1)
      at = path.indexOf('{', end + 1)
    } else at = path.indexOf('{', at + 1)
  }
  return found
}

/** Path parameter names in a path template: `/notes/{id}` gives `['id']`. */
export function pathParams(path: string): string[] {
  const found = placeholders(path)
  const names: string[] = []
  for (let i = 0; i < found.length; i += 2)
    names.push(path.slice((found[i] as number) + 1, (found[i + 1] as number) - 1))
  return names
}

/** A path template with every placeholder as `{}`: two routes clash when their keys are equal. */
export function templateKey(path: string): string {
  const found = placeholders(path)
  if (found.length === 0) return path
  let key = ''
  let last = 0
  for (let i = 0; i < found.length; i += 2) {
    key += `${path.slice(last, found[i])}{}`
    last = found[i + 1] as number
  }
  return key + path.slice(last)
}

/** The parameter name of a path segment that is exactly one placeholder (`{id}`), else undefined. */
export function segmentParam(segment: string): string | undefined {
  const found = placeholders(segment)
  return found.length === 2 && found[0] === 0 && found[1] === segment.length
    ? segment.slice(1, -1)
    : undefined
}
