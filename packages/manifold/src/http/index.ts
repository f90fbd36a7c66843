/**
 * manifold/http: serve an app over HTTP. `serve(app)` on node:http, `fetchHandler(app)` for
 * Bun, Deno and Workers, `openapi(app)` for the OpenAPI 3.1 document.
 *
 * @module
 */
export type { CorsOptions } from './cors.ts'
export { type FetchHandlerOptions, fetchHandler } from './fetch.ts'
export {
  type AccessLogEntry,
  createHandler,
  type HandlerOptions,
  type HttpRequest,
  type HttpResponse,
} from './handle.ts'
export { type OpenapiDocument, type OpenapiOptions, openapi } from './openapi.ts'
export { type ServeHandle, type ServeOptions, serve } from './serve.ts'
export { type SseResponder, sseResponse } from './sse.ts'
