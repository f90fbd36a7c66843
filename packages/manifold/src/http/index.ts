/**
 * manifold/http: serve an app over HTTP. `serve(app)` on node:http, `fetchHandler(app)` for
 * Bun, Deno and Workers, `openapi(app)` for the OpenAPI 3.1 document.
 *
 * @module
 */
export { type Cors, type CorsOptions, createCors as cors } from './cors.ts'
export { createHandler, type HandlerOptions } from './create-handler.ts'
export { type FetchHandlerOptions, fetchHandler } from './fetch.ts'
export type {
  AccessLogEntry,
  HttpRequest,
  HttpResponse,
  McpRoute,
  PlainHandlerOptions,
} from './handle.ts'
export { mcpRoute, withMcpBridge } from './mcp-bridge.ts'
export { type OpenapiDocument, type OpenapiOptions, openapi } from './openapi.ts'
export { type ServeHandle, type ServeOptions, serve } from './serve.ts'
export { type SseResponder, sseResponse } from './sse.ts'
