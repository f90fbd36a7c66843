/**
 * `fetchHandler(app)`: the app as a WHATWG `(Request) => Promise<Response>`, for Bun, Deno,
 * Cloudflare Workers and any fetch-shaped host. Same router and renderer as `serve()`.
 *
 * @module
 */
import type { AnyApp } from '../app.ts'
import { createHandler, type HandlerOptions } from './create-handler.ts'
import { docsPage } from './docs.ts'
import type { HttpRequest, HttpResponse } from './handle.ts'
import { openapiText } from './openapi.ts'
import { sseResponse } from './sse.ts'

/** Options of {@link fetchHandler}. */
export interface FetchHandlerOptions extends Omit<HandlerOptions, 'openapi' | 'docs'> {
  /** Serve `GET /openapi.json`; defaults to true. */
  readonly openapi?: boolean
  /** Serve the API reference page on `GET /docs`; defaults to true. */
  readonly docs?: boolean
}

/** The handler options `serve` and `fetchHandler` share: OpenAPI and docs wired in. */
export function withDocuments(
  app: AnyApp,
  options: FetchHandlerOptions,
): { -readonly [K in keyof HandlerOptions]: HandlerOptions[K] } {
  const { openapi: withOpenapi, docs: withDocs, ...rest } = options
  const handler: { -readonly [K in keyof HandlerOptions]: HandlerOptions[K] } = { sse: sseResponse, ...rest }
  if (withOpenapi !== false || withDocs !== false) {
    let text: string | undefined
    const spec = (): string => {
      text ??= openapiText(app, rest.basePath)
      return text
    }
    if (withOpenapi !== false) handler.openapi = spec
    if (withDocs !== false) {
      let page: string | undefined
      handler.docs = () => {
        page ??= docsPage(app, spec())
        return page
      }
    }
  }
  return handler
}

function toBody(body: HttpResponse['body']): BodyInit | null {
  if (body === undefined) return null
  if (typeof body === 'string' || body instanceof Uint8Array) return body as BodyInit
  const encoder = new TextEncoder()
  const iterator = body[Symbol.asyncIterator]()
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await iterator.next()
      if (next.done === true) controller.close()
      else controller.enqueue(typeof next.value === 'string' ? encoder.encode(next.value) : next.value)
    },
    async cancel() {
      await iterator.return?.()
    },
  })
}

function toHeaders(headers: HttpResponse['headers']): Headers {
  const out = new Headers()
  for (const [name, value] of Object.entries(headers)) {
    if (Array.isArray(value)) for (const v of value) out.append(name, v)
    else out.set(name, value)
  }
  return out
}

/**
 * Serves an app from a fetch-shaped host.
 *
 * @example
 * ```ts
 * import { app } from 'manifold'
 * import { fetchHandler } from 'manifold/http'
 * const hello = app({ name: 'hello', version: '1.0.0', operations: [] })
 * export default { fetch: fetchHandler(hello) } // Bun.serve / Deno.serve / Workers
 * ```
 */
export function fetchHandler(
  app: AnyApp,
  options: FetchHandlerOptions = {},
): (request: Request) => Promise<Response> {
  const handle = createHandler(app, withDocuments(app, options))
  const limit = options.bodyLimit ?? 1024 * 1024
  return async (request) => {
    const url = new URL(request.url)
    const headers: Record<string, string> = {}
    request.headers.forEach((value, name) => {
      headers[name] = value
    })
    const method = request.method
    const req: HttpRequest = {
      method,
      path: url.pathname,
      query: url.search.slice(1),
      headers,
      body: undefined,
      signal: request.signal,
    }
    if (method !== 'GET' && method !== 'HEAD' && request.body !== null) {
      const declared = Number(headers['content-length'] ?? Number.NaN)
      // A Content-Length over the limit is refused before reading; the handler checks the rest.
      if (declared > limit) req.bodyTooLarge = declared
      else req.body = new Uint8Array(await request.arrayBuffer())
    }
    const res = await handle(req)
    return new Response(method === 'HEAD' ? null : toBody(res.body), {
      status: res.status,
      headers: toHeaders(res.headers),
    })
  }
}
