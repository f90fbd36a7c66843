/**
 * `client<typeof app>({ baseUrl })`: call a manifold HTTP API with types inferred from the app,
 * no code generation. Errors come back as the same `ManifoldError` the server threw.
 *
 * @module
 */
import type { AnyApp } from '../app.ts'
import {
  Cancelled,
  createError,
  type ErrorCode,
  errorCodes,
  isManifoldError,
  type ManifoldError,
  Unavailable,
} from '../errors.ts'
import { routesOf } from '../internal/route.ts'
import { fromProblem, isProblem, problemTypeBase } from '../problem.ts'
import type { Client, ClientCallOptions } from './types.ts'

/** Options of {@link client}. */
export interface ClientOptions<A extends AnyApp = AnyApp> {
  /** Where the API is served, e.g. `http://127.0.0.1:3000` (with any base path). */
  readonly baseUrl: string
  /** Headers sent with every call (e.g. `authorization`). */
  readonly headers?: Readonly<Record<string, string>>
  /** The fetch to use; defaults to the global one. */
  readonly fetch?: (input: string, init: RequestInit) => Promise<Response>
  /** The app itself, when at hand: routes come from it instead of `GET /openapi.json`. */
  readonly app?: A
}

/** How to reach one operation. */
interface ClientRoute {
  readonly method: string
  readonly path: string
}

function pickRoute(routes: readonly ClientRoute[]): ClientRoute | undefined {
  // The route with a JSON body carries every input shape; a GET-only operation uses the query.
  return routes.find((r) => r.method !== 'GET') ?? routes[0]
}

function routesFromApp(target: AnyApp): Map<string, ClientRoute> {
  const map = new Map<string, ClientRoute>()
  for (const op of target.operations) {
    const route = pickRoute(routesOf(op))
    if (route !== undefined) map.set(op.name, route)
  }
  return map
}

function routesFromOpenapi(doc: unknown): Map<string, ClientRoute> {
  const found = new Map<string, ClientRoute[]>()
  const paths = (doc as { paths?: Record<string, Record<string, unknown>> } | null)?.paths ?? {}
  for (const [path, item] of Object.entries(paths)) {
    for (const [method, operation] of Object.entries(item)) {
      if (typeof operation !== 'object' || operation === null) continue
      const o = operation as { operationId?: unknown; 'x-manifold-op'?: unknown }
      const name = typeof o['x-manifold-op'] === 'string' ? o['x-manifold-op'] : o.operationId
      if (typeof name !== 'string') continue
      const list = found.get(name) ?? []
      list.push({ method: method.toUpperCase(), path })
      found.set(name, list)
    }
  }
  const map = new Map<string, ClientRoute>()
  for (const [name, list] of found) {
    const route = pickRoute(list)
    if (route !== undefined) map.set(name, route)
  }
  return map
}

function codeForStatus(status: number): ErrorCode {
  for (const [code, info] of Object.entries(errorCodes)) if (info.status === status) return code as ErrorCode
  return status >= 500 ? 'unavailable' : 'usage'
}

function appendQuery(params: URLSearchParams, key: string, value: unknown): void {
  if (value === undefined) return
  if (Array.isArray(value)) for (const v of value) appendQuery(params, key, v)
  else if (typeof value === 'object' && value !== null) params.append(key, JSON.stringify(value))
  else params.append(key, String(value))
}

/** Splits an input into the path (params filled in) and what is left for the query or body. */
function fillPath(path: string, input: unknown): { path: string; rest: unknown } {
  if (!path.includes('{')) return { path, rest: input }
  const rest: Record<string, unknown> =
    typeof input === 'object' && input !== null ? { ...(input as Record<string, unknown>) } : {}
  const filled = path.replace(/\{([^}/]+)\}/g, (_m, name: string) => {
    const value = rest[name]
    delete rest[name]
    if (value === undefined) throw new TypeError(`Missing path parameter "${name}" for ${path}`)
    return encodeURIComponent(String(value))
  })
  return { path: filled, rest }
}

async function* ndjsonItems(body: ReadableStream<Uint8Array>): AsyncGenerator<unknown, void, undefined> {
  const reader = body.getReader()
  const decoder = new TextDecoder()
  let buffer = ''
  const parse = (line: string): unknown => {
    const value: unknown = JSON.parse(line)
    if (isProblem(value) && value.type.startsWith(problemTypeBase)) throw fromProblem(value)
    return value
  }
  try {
    while (true) {
      const { done, value } = await reader.read()
      if (done) break
      buffer += decoder.decode(value, { stream: true })
      let nl = buffer.indexOf('\n')
      while (nl !== -1) {
        const line = buffer.slice(0, nl)
        buffer = buffer.slice(nl + 1)
        if (line.trim() !== '') yield parse(line)
        nl = buffer.indexOf('\n')
      }
    }
    buffer += decoder.decode()
    if (buffer.trim() !== '') yield parse(buffer)
  } finally {
    await reader.cancel().catch(() => undefined)
  }
}

async function errorOf(response: Response, what: string): Promise<ManifoldError> {
  const text = await response.text().catch(() => '')
  try {
    const value: unknown = JSON.parse(text)
    if (isProblem(value)) return fromProblem(value)
  } catch {
    // Not JSON: a proxy or load balancer answered; fall through to a status-based error.
  }
  return createError(codeForStatus(response.status), `${what} answered HTTP ${response.status}`, {
    hint: text === '' ? undefined : `The body started with "${text.slice(0, 80)}"`,
  })
}

/**
 * Creates a typed client of a manifold HTTP API. Methods nest by dotted name
 * (`c.tags.list()`); `$call(name, input)` calls by a name known at run time.
 *
 * @example
 * ```ts
 * import { client } from 'manifold/client'
 * import type notes from './app.ts'
 * const c = client<typeof notes>({ baseUrl: 'http://127.0.0.1:3000' })
 * const note = await c.get({ id: '42' })
 * ```
 */
export function client<A extends AnyApp>(options: ClientOptions<A>): Client<A> {
  const base = options.baseUrl.replace(/\/+$/, '')
  const doFetch = options.fetch ?? ((input: string, init: RequestInit) => fetch(input, init))
  let routes: Map<string, ClientRoute> | Promise<Map<string, ClientRoute>> | undefined =
    options.app === undefined ? undefined : routesFromApp(options.app)

  const loadRoutes = (): Map<string, ClientRoute> | Promise<Map<string, ClientRoute>> => {
    if (routes !== undefined) return routes
    const url = `${base}/openapi.json`
    const pending = doFetch(url, { headers: { accept: 'application/json', ...options.headers } })
      .then(async (response) => {
        if (!response.ok) throw await errorOf(response, `GET ${url}`)
        const map = routesFromOpenapi(await response.json())
        routes = map
        return map
      })
      .catch((error: unknown) => {
        routes = undefined
        throw error
      })
    routes = pending
    return pending
  }

  const call = async (
    name: string,
    input: unknown,
    callOptions: ClientCallOptions = {},
  ): Promise<unknown> => {
    const route = (await loadRoutes()).get(name)
    if (route === undefined) {
      throw createError('usage', `Unknown operation "${name}" at ${base}`, {
        hint: 'Check the operation name, or that the server runs the same version of the app',
      })
    }
    const { path, rest } = fillPath(route.path, input)
    let url = base + path
    const headers: Record<string, string> = {
      accept: 'application/json, application/x-ndjson, application/problem+json',
      ...options.headers,
      ...callOptions.headers,
    }
    const init: RequestInit = { method: route.method, headers }
    if (callOptions.signal !== undefined) init.signal = callOptions.signal
    if (route.method === 'GET') {
      const params = new URLSearchParams()
      if (typeof rest === 'object' && rest !== null) {
        for (const [key, value] of Object.entries(rest)) appendQuery(params, key, value)
      }
      const query = params.toString()
      if (query !== '') url += `?${query}`
    } else if (rest !== undefined) {
      headers['content-type'] = 'application/json'
      init.body = JSON.stringify(rest)
    }
    const what = `${route.method} ${url}`
    let response: Response
    try {
      response = await doFetch(url, init)
    } catch (error) {
      if (callOptions.signal?.aborted === true)
        throw new Cancelled('The call was cancelled', { cause: error })
      throw new Unavailable(`Cannot reach ${what}: ${(error as Error).message}`, {
        hint: 'Check that the server is running and the URL is right',
        cause: error,
      })
    }
    if (!response.ok) throw await errorOf(response, what)
    if (response.status === 204 || response.body === null) return undefined
    const type = response.headers.get('content-type') ?? ''
    if (type.startsWith('application/x-ndjson')) return ndjsonItems(response.body)
    const text = await response.text()
    if (text === '') return undefined
    try {
      return JSON.parse(text)
    } catch (error) {
      throw isManifoldError(error)
        ? error
        : createError('internal', `${what} answered a body that is not JSON`, { cause: error })
    }
  }

  const node = (prefix: string): unknown =>
    new Proxy(() => undefined, {
      get(_target, key) {
        if (typeof key !== 'string' || key === 'then') return undefined
        if (prefix === '' && key === '$call') return call
        return node(prefix === '' ? key : `${prefix}.${key}`)
      },
      apply(_target, _this, args: unknown[]) {
        return call(prefix, args[0], args[1] as ClientCallOptions | undefined)
      },
    })
  return node('') as Client<A>
}
