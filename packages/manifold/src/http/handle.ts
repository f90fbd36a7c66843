/**
 * The HTTP handler shared by `serve()` (node:http), `fetchHandler()` and the Lambda adapter:
 * a plain request in, a plain response out. Building WHATWG `Request`/`Response` objects
 * costs real time on Node, so only `/mcp` gets one. No `node:*` imports, and nothing heavy
 * (OpenAPI, the docs page) is imported here: callers pass those in through options, which
 * keeps a one-operation Lambda bundle small.
 *
 * @module
 */
import type { AnyApp, Credentials } from '../app.ts'
import { type ManifoldError, NotFound, toManifoldError, UsageError } from '../errors.ts'
import { nextRequestId } from '../internal/request-id.ts'
import { type AbortSource, type CallOptions, runOperation } from '../invoke.ts'
import { createLogger, type Logger } from '../log.ts'
import { problemContentType, toProblem } from '../problem.ts'
import { runtimeOf, startApp } from '../runtime.ts'
import { jsonContentType, toJson } from '../serialize.ts'
import type { Cors } from './cors.ts'
import { hasFieldKinds } from './input.ts'
import { readInput, utf8Length } from './read-input.ts'
import { ndjsonBody, ndjsonContentType, primed } from './render.ts'
import { type Binding, createRouter, type Match } from './router.ts'
import type { SseResponder } from './sse.ts'

/** A plain HTTP request, the same for node:http, fetch and Lambda events. */
export interface HttpRequest {
  method: string
  path: string
  /** Raw query string, without `?`. */
  query: string
  /** Lower-case names; repeated values comma-joined. */
  headers: Record<string, string | undefined>
  body: Uint8Array | string | undefined
  remoteAddress?: string
  signal?: AbortSignal
  /** Instead of `signal`: an abort source that makes its AbortSignal only when a handler reads it (Lambda). */
  abort?: AbortSource
  /** Claims verified upstream (an API Gateway authorizer). */
  claims?: Record<string, unknown>
  requestId?: string
  /** Set by an adapter that refused to read a body over the limit: its declared size in bytes. */
  bodyTooLarge?: number
}

/** A plain HTTP response. */
export interface HttpResponse {
  status: number
  /** `set-cookie` may be an array. */
  headers: Record<string, string | string[]>
  body: string | Uint8Array | AsyncIterable<string | Uint8Array> | undefined
}

/** One access-log record, written once per request. */
export interface AccessLogEntry {
  readonly method: string
  readonly path: string
  readonly status: number
  /** Milliseconds from the request to the response head (to the end for streams). */
  readonly ms: number
  readonly requestId: string
  readonly op?: string
  readonly remoteAddress?: string
}

/** Answers a request on `/mcp` (any method); `mcpRoute` in `./mcp-bridge.ts` makes one. */
export type McpRoute = (req: HttpRequest, requestId: string) => Promise<HttpResponse>

/** Options of {@link createPlainHandler}: CORS and MCP come in already built. */
export interface PlainHandlerOptions {
  /**
   * CORS for browsers, a policy from `cors(options)`; off by default. `serve` and
   * `fetchHandler` take the options themselves and build it.
   */
  readonly cors?: Cors
  /** Largest request body in bytes; defaults to 1 MiB. Larger bodies get 413. */
  readonly bodyLimit?: number
  /**
   * Serves MCP on `/mcp`: `mcpRoute(mcpHandler(app))`. `serve`, `fetchHandler` and `lambda` take
   * `mcpHandler(app)` itself and wrap it.
   */
  readonly mcp?: McpRoute
  /** A prefix every route sits under (`/api`); defaults to none. */
  readonly basePath?: string
  /** Body of `GET /openapi.json` (JSON text); off when absent. `serve` wires `openapi(app)` in. */
  readonly openapi?: () => string
  /** Body of `GET /docs` (HTML); off when absent. `serve` wires the docs page in. */
  readonly docs?: () => string
  /**
   * Answers `Accept: text/event-stream` with server-sent events (progress, items, result);
   * `sseResponse` from `./sse.ts`. `serve` and `fetchHandler` wire it in; without it such a
   * request gets the plain JSON or NDJSON answer.
   */
  readonly sse?: SseResponder
  /** One structured line per request: `true` (default) logs through the app's logger, or a function. */
  readonly accessLog?: boolean | ((entry: AccessLogEntry) => void)
  /** Logger of the access log; defaults to the app's. */
  readonly log?: Logger
}

const defaultBodyLimit = 1024 * 1024

const requestIdPattern = /^[\w.:@/+=-]{1,200}$/

/**
 * A failure as a problem+json response; `status` overrides the code's (405 for a `usage` error).
 * Shared by the router, the MCP bridge and the Lambda adapter.
 */
export function problemResponse(
  error: ManifoldError,
  requestId: string,
  status = error.status,
): HttpResponse {
  const problem = toProblem(error, requestId)
  return {
    status,
    headers: { 'content-type': problemContentType, 'x-request-id': requestId },
    body: toJson(status === problem.status ? problem : { ...problem, status }),
  }
}

/** 405 with `Allow`, as the router, the built-in routes and `/mcp` answer a method they do not take. */
export function methodNotAllowed(
  method: string,
  path: string,
  allow: string,
  requestId: string,
): HttpResponse {
  const res = problemResponse(
    new UsageError(`Method ${method} is not allowed on ${path}`, { hint: `Use one of: ${allow}` }),
    requestId,
    405,
  )
  res.headers.allow = allow
  return res
}

function requestIdOf(req: HttpRequest): string {
  if (req.requestId !== undefined) return req.requestId
  const given = req.headers['x-request-id']
  if (given !== undefined && requestIdPattern.test(given)) return given
  return nextRequestId()
}

function credentialsOf(req: HttpRequest): Omit<Credentials, 'surface'> {
  const auth = req.headers.authorization
  let token: string | undefined
  if (auth !== undefined && auth.length > 7 && auth.slice(0, 7).toLowerCase() === 'bearer ') {
    token = auth.slice(7).trim()
  }
  return { token, apiKey: req.headers['x-api-key'], headers: req.headers, claims: req.claims }
}

function wantsEvents(req: HttpRequest): boolean {
  const accept = req.headers.accept
  return accept?.includes('text/event-stream') === true
}

/**
 * The HTTP handler without CORS or MCP built in: `createHandler` (and `serve`, `fetchHandler`)
 * builds those from options and passes them here; `lambda` passes only what it is given, so a
 * bundle carries neither unless asked.
 *
 * @example
 * ```ts
 * import { app } from 'manifold'
 * import { createPlainHandler } from './handle.ts'
 * const handle = createPlainHandler(app({ name: 'hello', version: '1.0.0', operations: [] }))
 * ```
 */
export function createPlainHandler(
  app: AnyApp,
  options: PlainHandlerOptions = {},
): (req: HttpRequest) => Promise<HttpResponse> {
  const respond = createResponder(app, options)
  return async (req) => respond(req)
}

/**
 * {@link createPlainHandler} for adapters on a hot path (Lambda): the response comes back
 * synchronously when the call settled synchronously, else as a promise. Never throws.
 */
export function createResponder(
  app: AnyApp,
  options: PlainHandlerOptions = {},
): (req: HttpRequest) => HttpResponse | Promise<HttpResponse> {
  const router = createRouter(app)
  const limit = options.bodyLimit ?? defaultBodyLimit
  const base = options.basePath?.replace(/\/+$/, '') ?? ''
  const { openapi, docs, sse, cors, mcp } = options
  const needsCredentials = app.auth !== undefined || app.operations.some((o) => o.auth)
  let access: ((entry: AccessLogEntry) => void) | undefined
  if (typeof options.accessLog === 'function') access = options.accessLog
  else if (options.accessLog !== false) {
    let log = options.log
    access = (entry) => {
      log ??= runtimeOf(app)?.log ?? createLogger({ fields: { app: app.name } })
      log.info('request', entry as unknown as Record<string, unknown>)
    }
  }

  const callOptions = (
    req: HttpRequest,
    requestId: string,
    credentials: Omit<Credentials, 'surface'> | undefined,
  ): { -readonly [K in keyof CallOptions]: CallOptions[K] } => {
    const call: { -readonly [K in keyof CallOptions]: CallOptions[K] } = {
      surface: 'http',
      requestId,
    }
    if (req.signal !== undefined) call.signal = req.signal
    if (credentials !== undefined) call.credentials = credentials
    return call
  }

  const finish = (
    req: HttpRequest,
    started: number,
    requestId: string,
    res: HttpResponse,
    op: string | undefined,
  ): HttpResponse => {
    if (cors !== undefined) {
      const origin = req.headers.origin
      if (origin !== undefined) cors.apply(res.headers, origin)
    }
    if (req.method === 'HEAD' && res.body !== undefined) {
      const body = res.body
      if (typeof body === 'string') res.headers['content-length'] = String(utf8Length(body))
      else if (body instanceof Uint8Array) res.headers['content-length'] = String(body.byteLength)
      res.body = undefined
    }
    if (access !== undefined && (typeof res.body !== 'object' || res.body instanceof Uint8Array)) {
      logAccess(access, req, res.status, started, requestId, op)
    }
    return res
  }

  const fail = problemResponse

  const render = (
    req: HttpRequest,
    binding: Binding,
    requestId: string,
    started: number,
    result: unknown,
  ): HttpResponse | Promise<HttpResponse> => {
    if (binding.op.stream && typeof result === 'object' && result !== null) {
      // A failure before the first item throws here and answers like any other failure.
      return primed(result as AsyncIterable<unknown>).then((items) => {
        const onEnd = (status: number): void => {
          if (access !== undefined) logAccess(access, req, status, started, requestId, binding.op.name)
        }
        return {
          status: 200,
          headers: { 'content-type': ndjsonContentType, 'x-request-id': requestId },
          body: ndjsonBody(items, requestId, onEnd),
        }
      })
    }
    if (result === undefined) return { status: 204, headers: { 'x-request-id': requestId }, body: undefined }
    return {
      status: binding.status,
      headers: { 'content-type': jsonContentType, 'x-request-id': requestId },
      body: toJson(result),
    }
  }

  const run = (
    req: HttpRequest,
    binding: Binding,
    match: Match,
    requestId: string,
    started: number,
  ): HttpResponse | Promise<HttpResponse> => {
    // Until a call needs the schema's types, query and path values stay strings, with a
    // coercion of them for `invoke` to try when they fail the schema. A JSON body without
    // path parameters has no strings to coerce: nothing to ask then.
    const { op } = binding
    const body = req.body
    const allStrings =
      binding.fromQuery ||
      body === undefined ||
      (typeof body === 'string' ? body.length === 0 : body.byteLength === 0)
    const lazy = (allStrings || binding.params.length > 0) && !hasFieldKinds(op)
    const input = readInput(binding, match, req, limit, lazy)
    // A repeated query key makes readInput derive the types and coerce at once; coercing
    // again leaves those values as they are.
    const coerce = lazy ? (allStrings ? binding.coerceAll : binding.coerceParams) : undefined
    const credentials = needsCredentials ? credentialsOf(req) : undefined
    const call = callOptions(req, requestId, credentials)
    if (sse !== undefined && wantsEvents(req)) {
      return sse(
        async (onProgress) => {
          call.onProgress = onProgress
          return runOperation(app, op, input, call, coerce, req.abort)
        },
        binding.op.stream,
        requestId,
        (status) => {
          if (access !== undefined) logAccess(access, req, status, started, requestId, op.name)
        },
      )
    }
    const result = runOperation(app, op, input, call, coerce, req.abort)
    return result instanceof Promise
      ? result.then((r) => render(req, binding, requestId, started, r))
      : render(req, binding, requestId, started, result)
  }

  return function respond(req: HttpRequest): HttpResponse | Promise<HttpResponse> {
    // The clock is read only for the access log.
    const started = access === undefined ? 0 : performance.now()
    const requestId = requestIdOf(req)
    let path = req.path
    let opName: string | undefined
    try {
      if (base !== '') {
        if (path !== base && !path.startsWith(`${base}/`)) {
          throw new NotFound(`No route for ${req.method} ${path}`)
        }
        path = path.slice(base.length) || '/'
      }
      if (path.length > 1 && path.charCodeAt(path.length - 1) === 47) path = path.slice(0, -1)
      const method = req.method
      const match = router.find(path)
      if (match !== undefined) {
        const entry = match.entry
        const binding = entry.methods.get(method === 'HEAD' ? 'GET' : method)
        if (binding === undefined && method === 'OPTIONS') {
          const res: HttpResponse = {
            status: 204,
            headers: { allow: entry.allow, 'x-request-id': requestId },
            body: undefined,
          }
          const origin = req.headers.origin
          if (
            cors !== undefined &&
            origin !== undefined &&
            req.headers['access-control-request-method'] !== undefined
          ) {
            cors.preflight(res.headers, origin, entry.allow, req.headers['access-control-request-headers'])
            if (access !== undefined) logAccess(access, req, 204, started, requestId, undefined)
            return res
          }
          return finish(req, started, requestId, res, undefined)
        }
        if (binding === undefined) {
          return finish(
            req,
            started,
            requestId,
            methodNotAllowed(method, req.path, entry.allow, requestId),
            undefined,
          )
        }
        const name = binding.op.name
        opName = name
        const res = run(req, binding, match, requestId, started)
        return res instanceof Promise
          ? res.then(
              (r) => finish(req, started, requestId, r, name),
              (error: unknown) =>
                finish(req, started, requestId, fail(toManifoldError(error), requestId), name),
            )
          : finish(req, started, requestId, res, name)
      }
      return builtIn(req, path, requestId).then(
        (special) => {
          if (special !== undefined) return finish(req, started, requestId, special, undefined)
          const error = new NotFound(`No route for ${req.method} ${req.path}`, {
            hint: openapi === undefined ? undefined : 'GET /openapi.json lists every route',
          })
          return finish(req, started, requestId, fail(error, requestId), undefined)
        },
        (error: unknown) =>
          finish(req, started, requestId, fail(toManifoldError(error), requestId), undefined),
      )
    } catch (error) {
      return finish(req, started, requestId, fail(toManifoldError(error), requestId), opName)
    }
  }

  async function builtIn(
    req: HttpRequest,
    path: string,
    requestId: string,
  ): Promise<HttpResponse | undefined> {
    const method = req.method
    if (path === '/mcp' && mcp !== undefined) return mcp(req, requestId)
    if (method !== 'GET' && method !== 'HEAD') {
      const known =
        path === '/healthz' ||
        (path === '/openapi.json' && openapi !== undefined) ||
        (path === '/docs' && docs !== undefined)
      return known ? methodNotAllowed(method, path, 'GET, HEAD', requestId) : undefined
    }
    if (path === '/healthz') {
      await startApp(app)
      return {
        status: 200,
        headers: { 'content-type': jsonContentType, 'x-request-id': requestId },
        body: '{"status":"ok"}\n',
      }
    }
    if (path === '/openapi.json' && openapi !== undefined) {
      return {
        status: 200,
        headers: { 'content-type': jsonContentType, 'x-request-id': requestId },
        body: openapi(),
      }
    }
    if (path === '/docs' && docs !== undefined) {
      return {
        status: 200,
        headers: {
          'content-type': 'text/html; charset=utf-8',
          'x-request-id': requestId,
          'content-security-policy':
            "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src data:",
        },
        body: docs(),
      }
    }
    return undefined
  }
}

function logAccess(
  access: (entry: AccessLogEntry) => void,
  req: HttpRequest,
  status: number,
  started: number,
  requestId: string,
  op: string | undefined,
): void {
  const entry: { -readonly [K in keyof AccessLogEntry]: AccessLogEntry[K] } = {
    method: req.method,
    path: req.path,
    status,
    ms: Math.round((performance.now() - started) * 100) / 100,
    requestId,
  }
  if (op !== undefined) entry.op = op
  if (req.remoteAddress !== undefined) entry.remoteAddress = req.remoteAddress
  access(entry)
}
