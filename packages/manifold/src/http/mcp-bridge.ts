/**
 * The bridge to an MCP handler on `/mcp`: the only place a WHATWG `Request` is built, and the
 * MCP `Response` turned back into a plain response.
 *
 * @module
 */
import { UsageError } from '../errors.ts'
import { type McpFetch, mcpBridgeKey } from '../internal/mcp-key.ts'
import { type HttpRequest, type HttpResponse, type McpRoute, methodNotAllowed } from './handle.ts'

/** Methods the MCP Streamable HTTP transport uses. */
export const mcpMethods = ['GET', 'POST', 'DELETE', 'OPTIONS']
const hostPattern = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/

/**
 * Builds the WHATWG Request the MCP handler needs. The Host header and header names come
 * from the client (or a Lambda event) unchecked, so a value `URL`/`Headers` refuse falls back
 * or is skipped instead of failing the request as an internal error.
 */
export function toRequest(req: HttpRequest, method: string): Request {
  const given = req.headers.host
  const host = given !== undefined && hostPattern.test(given) ? given : 'localhost'
  const url = `http://${host}${req.path}${req.query === '' ? '' : `?${req.query}`}`
  if (!URL.canParse(url)) throw new UsageError('Cannot read the request URL: the path or query is malformed')
  const headers = new Headers()
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue
    try {
      headers.set(name, value)
    } catch {
      // A header name or value that is not a valid HTTP token cannot reach MCP; drop it.
    }
  }
  const hasBody = method !== 'GET' && method !== 'HEAD' && req.body !== undefined
  const signal = req.signal ?? req.abort?.abortSignal()
  return new Request(url, {
    method,
    headers,
    ...(hasBody ? { body: req.body as BodyInit } : {}),
    ...(signal === undefined ? {} : { signal }),
  })
}

async function* streamOf(body: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array, void, undefined> {
  const reader = body.getReader()
  try {
    while (true) {
      const { done, value } = await reader.read()
      if (done) return
      yield value
    }
  } finally {
    reader.releaseLock()
  }
}

/** Turns a WHATWG Response (from the MCP handler) into a plain response. */
export function toHttpResponse(response: Response, requestId: string): HttpResponse {
  const headers: Record<string, string | string[]> = {}
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') headers[name] = value
  })
  const cookies = response.headers.getSetCookie?.() ?? []
  if (cookies.length > 0) headers['set-cookie'] = cookies
  headers['x-request-id'] ??= requestId
  return {
    status: response.status,
    headers,
    body: response.body === null ? undefined : streamOf(response.body),
  }
}

/**
 * Wraps a WHATWG MCP handler (`mcpHandler(app)`) as the `/mcp` route of the HTTP handler:
 * methods the transport does not use get 405, the rest go through a `Request`.
 *
 * @example
 * ```ts
 * import { app } from 'manifold'
 * import { createHandler, mcpRoute } from 'manifold/http'
 * import { mcpHandler } from 'manifold/mcp'
 * const hello = app({ name: 'hello', version: '1.0.0', operations: [] })
 * const handle = createHandler(hello, { mcp: mcpRoute(mcpHandler(hello)) })
 * ```
 */
export function mcpRoute(handler: (request: Request) => Promise<Response>): McpRoute {
  const allow = mcpMethods.join(', ')
  return async (req, requestId) => {
    const method = req.method.toUpperCase()
    if (!mcpMethods.includes(method)) return methodNotAllowed(req.method, '/mcp', allow, requestId)
    return toHttpResponse(await handler(toRequest(req, method)), requestId)
  }
}

/**
 * Makes a fetch-shaped MCP handler carry {@link mcpRoute}, so that `lambda(app, { mcp })` can
 * serve it without importing the bridge itself. `mcpHandler(app)` from `manifold/mcp` already
 * does; call it on your own handler to pass it to `lambda`.
 *
 * @example
 * ```ts
 * import { withMcpBridge } from 'manifold/http'
 * const mcp = withMcpBridge(async (request: Request) => new Response(null, { status: 204 }))
 * ```
 */
export function withMcpBridge<H extends (request: Request) => Promise<Response>>(handler: H): H & McpFetch {
  return Object.assign(handler, { [mcpBridgeKey]: mcpRoute })
}
