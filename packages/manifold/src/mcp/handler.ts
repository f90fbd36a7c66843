/**
 * MCP over Streamable HTTP as a fetch-shaped handler: `Request` in, `Response` out,
 * stateless (a fresh server instance per request), so it runs the same behind `serve()`,
 * `fetchHandler()` and the Lambda handler.
 *
 * @module
 */
import type { AnyApp, Credentials } from '../app.ts'
import { withMcpBridge } from '../http/mcp-bridge.ts'
import { createServer, loadSdk } from './server.ts'

/** Options of {@link mcpHandler}. */
export interface McpHandlerOptions {
  /**
   * Response shaping: `auto` (default) answers with one JSON body unless the call reports
   * progress first, then upgrades to SSE; `json` never streams (progress is dropped); `sse`
   * always streams.
   */
  readonly responseMode?: 'auto' | 'json' | 'sse'
  /**
   * Largest request body in bytes; larger ones get 413. Defaults to 4 MiB. Behind `serve()`
   * or `fetchHandler()`, their own `bodyLimit` (1 MiB by default) applies first.
   */
  readonly bodyLimit?: number
  /** Receives errors outside any call (bad requests, transport failures); defaults to none. */
  readonly onError?: (error: Error) => void
  /**
   * Host names a browser page may call from (the `Origin` header). A request with any other
   * `Origin` gets 403, which stops DNS rebinding against a local server. Requests without an
   * `Origin` (every non-browser client) pass. Defaults to `localhost`, `127.0.0.1` and `[::1]`.
   */
  readonly allowedOrigins?: readonly string[]
}

/** A fetch-shaped MCP endpoint, as `mcpHandler` returns it. */
export type McpFetchHandler = (request: Request) => Promise<Response>

/** The credentials of an HTTP request, for the app's auth hook (surface `mcp`). */
export function credentialsOf(request: Request): Omit<Credentials, 'surface'> {
  const headers: Record<string, string> = {}
  request.headers.forEach((value, key) => {
    headers[key] = value
  })
  const authorization = request.headers.get('authorization') ?? ''
  const bearer = /^Bearer\s+(.+)$/i.exec(authorization)?.[1]?.trim()
  const apiKey = request.headers.get('x-api-key') ?? undefined
  return {
    ...(bearer === undefined ? {} : { token: bearer }),
    ...(apiKey === undefined ? {} : { apiKey }),
    headers,
  }
}

/**
 * MCP over Streamable HTTP for an app, as `(request: Request) => Promise<Response>`. Mount
 * it at `/mcp`: `serve(app, { mcp: mcpHandler(app) })`, `fetchHandler(app, { mcp })`, or
 * the Lambda handler's HTTP events. Serves the 2026-07-28 revision and, statelessly,
 * 2025-era clients. `Authorization: Bearer` and `x-api-key` reach the app's auth hook; a
 * browser `Origin` other than localhost gets 403 unless listed in `allowedOrigins`.
 *
 * @example
 * ```ts
 * import { mcpHandler } from 'manifold/mcp'
 * import notes from './app.ts'
 * const mcp = mcpHandler(notes)
 * export default { fetch: (request: Request) => mcp(request) } // Bun, Deno, Workers
 * ```
 */
export function mcpHandler(target: AnyApp, options: McpHandlerOptions = {}): McpFetchHandler {
  let handler: Promise<(request: Request) => Promise<Response>> | undefined
  const start = async (): Promise<(request: Request) => Promise<Response>> => {
    const lib = await loadSdk()
    const http = lib.createMcpHandler(
      ({ requestInfo }) =>
        createServer(target, lib, {
          credentials: requestInfo === undefined ? undefined : credentialsOf(requestInfo),
        }),
      {
        responseMode: options.responseMode ?? 'auto',
        ...(options.bodyLimit === undefined ? {} : { maxRequestBodySize: options.bodyLimit }),
        ...(options.onError === undefined ? {} : { onerror: options.onError }),
      },
    )
    const origins = [...(options.allowedOrigins ?? lib.localhostAllowedOrigins())]
    return async (request) => lib.originValidationResponse(request, origins) ?? http.fetch(request)
  }
  // It carries its bridge to the plain HTTP handler, for `lambda(app, { mcp })`.
  return withMcpBridge(async (request: Request) => {
    if (handler === undefined) {
      handler = start().catch((error: unknown) => {
        handler = undefined
        throw error
      })
    }
    return (await handler)(request)
  })
}
