/**
 * `createHandler(app)`: the plain HTTP handler with CORS and MCP built from options.
 *
 * @module
 */
import type { AnyApp } from '../app.ts'
import { type CorsOptions, createCors } from './cors.ts'
import {
  createPlainHandler,
  createResponder,
  type HttpRequest,
  type HttpResponse,
  type PlainHandlerOptions,
} from './handle.ts'
import { mcpRoute } from './mcp-bridge.ts'

/** Options of {@link createHandler}. */
export interface HandlerOptions extends Omit<PlainHandlerOptions, 'cors' | 'mcp'> {
  /** CORS for browsers; off by default. `true` allows every origin. */
  readonly cors?: CorsOptions | boolean
  /** Serves MCP on `/mcp` (every method): `mcpHandler(app)` from `manifold/mcp`. */
  readonly mcp?: (request: Request) => Promise<Response>
}

/**
 * Creates the HTTP handler of an app: routing, input, auth credentials, invoke, rendering.
 *
 * @example
 * ```ts
 * import * as z from 'zod'
 * import { app, op } from 'manifold'
 * import { createHandler } from 'manifold/http'
 * const greet = op({ name: 'greet', input: z.object({ name: z.string() }), handler: ({ name }) => `Hello, ${name}` })
 * const handle = createHandler(app({ name: 'hello', version: '1.0.0', operations: [greet] }))
 * const res = await handle({ method: 'POST', path: '/greet', query: '', headers: { 'content-type': 'application/json' }, body: '{"name":"Ada"}' })
 * res.status // 200
 * ```
 */
export function createHandler(
  app: AnyApp,
  options: HandlerOptions = {},
): (req: HttpRequest) => Promise<HttpResponse> {
  return createPlainHandler(app, plainOptions(options))
}

/**
 * {@link createHandler} for `serve`'s hot path: the response comes back synchronously when the
 * call settled synchronously, else as a promise. Never throws.
 */
export function createSyncHandler(
  app: AnyApp,
  options: HandlerOptions = {},
): (req: HttpRequest) => HttpResponse | Promise<HttpResponse> {
  return createResponder(app, plainOptions(options))
}

function plainOptions(options: HandlerOptions): PlainHandlerOptions {
  const { cors, mcp, ...rest } = options
  const plain: { -readonly [K in keyof PlainHandlerOptions]: PlainHandlerOptions[K] } = rest
  if (cors !== undefined && cors !== false) plain.cors = createCors(cors)
  if (mcp !== undefined) plain.mcp = mcpRoute(mcp)
  return plain
}
