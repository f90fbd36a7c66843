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

/** Path parameter names in a path template: `/notes/{id}` gives `['id']`. */
export function pathParams(path: string): string[] {
  return [...path.matchAll(/\{([^}/]+)\}/g)].map((m) => m[1] as string)
}
