/**
 * `manifold lambda serve`: the emulator behind one port. `/2018-06-01/runtime/*` is the Runtime
 * API its function process talks to, `POST /2015-03-31/functions/function/invocations` takes a
 * raw event (as AWS's Runtime Interface Emulator does), and every other request is turned into
 * an HTTP event (a Function URL event by default) so that curl and browsers can talk to the
 * function as they would in AWS.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { type Emulator, type EmulatorOptions, readBody, startEmulator } from './emulator.ts'
import { decodeHttpResult, decodeStream, type SampleKind, sampleEvent } from './events.ts'

/** The HTTP integrations the bridge can pose as. */
export type BridgeKind = Extract<
  SampleKind,
  'apigw-v1' | 'apigw-http-v2' | 'function-url' | 'alb' | 'alb-multi-value'
>

/** Options of {@link serveLambda}. */
export interface ServeLambdaOptions extends Omit<EmulatorOptions, 'fallback'> {
  /** Which integration plain HTTP requests arrive as; defaults to `function-url`. */
  readonly as?: BridgeKind
}

function headersOf(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value
  }
  return out
}

async function bridge(kind: BridgeKind, req: IncomingMessage, res: ServerResponse, emulator: Emulator) {
  const url = new URL(req.url ?? '/', 'http://localhost')
  const body = await readBody(req)
  const event = sampleEvent(kind, {
    method: req.method ?? 'GET',
    path: url.pathname,
    query: url.search.slice(1),
    headers: headersOf(req),
    body: new Uint8Array(body),
  })
  const result = await emulator.invoke(event)
  if (result.error !== undefined) {
    // What API Gateway answers when the function fails.
    res.writeHead(502, { 'content-type': 'application/json', 'x-amz-function-error': 'Unhandled' })
    res.end(JSON.stringify({ message: 'Internal Server Error', error: result.error }))
    return
  }
  const decoded =
    result.stream === undefined
      ? decodeHttpResult(result.payload)
      : (decodeStream(result.stream) ?? undefined)
  if (decoded === undefined) {
    res.writeHead(502, { 'content-type': 'application/json' })
    res.end('{"message":"The streamed response has no HTTP prelude"}')
    return
  }
  res.writeHead(decoded.status, decoded.headers)
  res.end(decoded.body)
}

/**
 * Starts the emulator with the HTTP bridge.
 *
 * @example
 * ```ts
 * import { serveLambda } from './serve.ts'
 * const emulator = await serveLambda({ bundle: 'dist/lambda/index.mjs', port: 9000 })
 * // curl http://127.0.0.1:9000/notes
 * await emulator.close()
 * ```
 */
export function serveLambda(options: ServeLambdaOptions): Promise<Emulator> {
  const kind = options.as ?? 'function-url'
  return startEmulator({
    ...options,
    fallback: (req, res, emulator) => {
      bridge(kind, req, res, emulator).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' })
        res.end(JSON.stringify({ message: String(error) }))
      })
    },
  })
}
