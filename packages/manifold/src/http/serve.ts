/**
 * `serve(app)`: the app as an HTTP server on `node:http`. Requests go straight from
 * `IncomingMessage` to the plain handler and back to `ServerResponse`, with no WHATWG objects
 * on the way. Adds timeouts against slow clients, body limits, graceful shutdown and cluster workers.
 *
 * @module
 */
import cluster from 'node:cluster'
import { getEventListeners } from 'node:events'
import {
  createServer,
  type IncomingMessage,
  type OutgoingHttpHeader,
  type Server,
  type ServerResponse,
} from 'node:http'
import type { Socket } from 'node:net'
import type { AnyApp } from '../app.ts'
import { Cancelled } from '../errors.ts'
import type { AbortSource } from '../invoke.ts'
import { createLogger } from '../log.ts'
import { startApp, stopApp } from '../runtime.ts'
import { bufferedStderr } from './buffered-stderr.ts'
import { onClientError } from './client-error.ts'
import { servePrimary, stopOnSignal } from './cluster.ts'
import { createSyncHandler } from './create-handler.ts'
import { type FetchHandlerOptions, withDocuments } from './fetch.ts'
import type { HttpRequest, HttpResponse } from './handle.ts'

/** Options of {@link serve}. */
export interface ServeOptions extends FetchHandlerOptions {
  /** Port; defaults to `PORT` or 3000. `0` picks a free one. */
  readonly port?: number
  /** Interface; defaults to `HOST` or 127.0.0.1. */
  readonly host?: string
  /** Milliseconds a client has to send the request headers; defaults to 10 000. */
  readonly headersTimeout?: number
  /** Milliseconds a client has to send the whole request; defaults to 30 000. */
  readonly requestTimeout?: number
  /**
   * Milliseconds an idle keep-alive connection stays open; defaults to 5 000; `0` keeps idle
   * connections open. Advertised in a `keep-alive: timeout=…` header, and enforced by serve()
   * itself (node's `server.keepAliveTimeout` stays 0).
   */
  readonly keepAliveTimeout?: number
  /** Milliseconds in-flight requests get to finish on shutdown; defaults to 10 000. */
  readonly shutdownTimeout?: number
  /** Stop gracefully on SIGTERM and SIGINT; defaults to true. */
  readonly signals?: boolean
  /** Processes to serve from (node:cluster); defaults to 1 (this process). */
  readonly workers?: number
  /** Where the "listening on" line goes; `false` prints nothing. Defaults to stdout. */
  readonly print?: false | ((line: string) => void)
  /** Environment for `PORT`, `HOST` and the app's config; defaults to `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>
}

/** A running server. */
export interface ServeHandle {
  /** `http://host:port` */
  readonly url: string
  readonly port: number
  readonly host: string
  /** The node:http server (undefined in a cluster primary). */
  readonly server: Server | undefined
  /** Stops accepting, lets in-flight requests finish (up to `shutdownTimeout`), releases deps. */
  close(): Promise<void>
}

const emptyHeaders = {}
const kState = Symbol('manifold.connection')

// A new AbortController per request costs more than the rest of the glue (measured: about a
// third of manifold's CPU per request over a hand-written server), so calls on one keep-alive
// connection share one, made only when a handler first reads `ctx.signal` (measured under
// callgrind: about 1.8k instructions per request less when no handler reads it). Every
// `signalCheck` calls it is dropped if anything still listens to it, so that handlers that
// add an abort listener per call and never remove it stay under Node's 10-listener leak
// warning; and every `signalLife` calls in any case, because each
// `AbortSignal.any([ctx.signal, …])` leaves a record on the signal that Node 20 frees only with
// the signal (measured on Node 20.20: 60 to 85 bytes a call, freed only when the signal goes).
const signalCheck = 8
const signalLife = 64

/**
 * One keep-alive connection: the {@link AbortSource} its calls share, the response in flight (a
 * client that goes away before that response ends cancels the call), and what the idle sweep
 * last saw of it.
 */
class Connection implements AbortSource {
  aborted = false
  reason: unknown = undefined
  res: ServerResponse
  /** For {@link sweepIdle}: the finished response the connection has been idle after, since when, and its bytes read then. */
  idleAfter: ServerResponse | undefined = undefined
  idleSince = 0
  idleBytes = 0
  #controller: AbortController | undefined = undefined
  #uses = 0

  constructor(res: ServerResponse) {
    this.res = res
  }

  abortSignal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController()
      if (this.aborted) this.#controller.abort(this.reason)
    }
    return this.#controller.signal
  }

  /** The next call on the connection, answered with `res`. */
  next(res: ServerResponse): void {
    this.res = res
    const controller = this.#controller
    if (controller !== undefined && ++this.#uses % signalCheck === 0) {
      if (this.#uses >= signalLife || getEventListeners(controller.signal, 'abort').length > 0) {
        this.#controller = undefined
        this.#uses = 0
      }
    }
  }

  abort(reason: unknown): void {
    this.aborted = true
    this.reason = reason
    this.#controller?.abort(reason)
  }
}

type TrackedSocket = Socket & { [kState]?: Connection }

/** A client that goes away before its response ends cancels the call. */
function cancelUnfinished(socket: TrackedSocket): void {
  const state = socket[kState]
  if (state !== undefined && !state.res.writableFinished) {
    state.abort(new Cancelled('The client closed the connection'))
  }
}

/**
 * Closes keep-alive connections idle for `timeout` milliseconds, from one sweep a second.
 * node's own keep-alive timer is re-armed twice per request (a new `Timeout` and a bound
 * function each time); without it a request costs about 3 % less CPU (paired runs of
 * `bench/http/run.ts --base`) and callgrind's mean count falls 3.5-5 %.
 *
 * Idle means: the connection's latest response has finished and no byte has arrived since.
 * A connection is closed no sooner than `timeout` after that, and about when node would close
 * it (a second past the advertised timeout).
 */
function sweepIdle(sockets: ReadonlySet<TrackedSocket>, timeout: number): () => void {
  const every = Math.min(1000, timeout)
  // An idle spell is first seen up to `every` after it began.
  const limit = timeout + 1000 - every
  const timer = setInterval(() => {
    const now = Date.now()
    for (const socket of sockets) {
      const state = socket[kState] as Connection
      const res = state.res
      const read = socket.bytesRead
      if (state.idleAfter !== res || state.idleBytes !== read) {
        // A response still running is never idle: the next sweep starts over again.
        state.idleAfter = res.writableFinished ? res : undefined
        state.idleBytes = read
        state.idleSince = now
      } else if (now - state.idleSince >= limit) socket.destroy()
    }
  }, every)
  timer.unref()
  return () => clearInterval(timer)
}

function send(res: ServerResponse, out: HttpResponse): void {
  const body = out.body
  if (body === undefined || typeof body === 'string' || body instanceof Uint8Array) {
    // A flat [name, value, …] list: node:http takes it without an own-property check per name,
    // and the response's headers object gets no property added.
    const headers = out.headers
    const flat: OutgoingHttpHeader[] = []
    for (const name in headers) flat.push(name, headers[name] as string | string[])
    if (body !== undefined) {
      flat.push('content-length', typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength)
    } else if (out.status !== 204 && out.status !== 304 && headers['content-length'] === undefined) {
      flat.push('content-length', 0)
    }
    res.writeHead(out.status, flat)
    res.end(body)
    return
  }
  res.writeHead(out.status, out.headers)
  res.flushHeaders()
  void pipe(res, body)
}

async function pipe(res: ServerResponse, body: AsyncIterable<string | Uint8Array>): Promise<void> {
  const iterator = body[Symbol.asyncIterator]()
  const stop = (): void => {
    void iterator.return?.()
  }
  res.once('close', stop)
  try {
    while (true) {
      const next = await iterator.next()
      if (next.done === true || res.destroyed) break
      if (!res.write(next.value)) {
        await new Promise<void>((resolve) => {
          // Remove both listeners whichever fires: a long stream to a slow reader waits many times.
          const done = (): void => {
            res.off('drain', done)
            res.off('close', done)
            resolve()
          }
          res.on('drain', done)
          res.on('close', done)
        })
      }
    }
  } catch {
    // The handler renders failures into the stream; anything left means the socket went away.
  } finally {
    res.off('close', stop)
    if (!res.destroyed) res.end()
  }
}

function listenPort(options: ServeOptions, env: Readonly<Record<string, string | undefined>>): number {
  if (options.port !== undefined) return options.port
  const raw = env.PORT
  if (raw === undefined || raw === '') return 3000
  const port = Number(raw)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new RangeError(`Invalid PORT "${raw}": expected an integer from 0 to 65535`)
  }
  return port
}

function displayHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host
}

/**
 * Serves an app over HTTP on node:http. Validates the app's config first, prints the URL, and
 * stops gracefully on SIGTERM.
 *
 * @example
 * ```ts
 * import { app } from 'manifold'
 * import { serve } from 'manifold/http'
 * const hello = app({ name: 'hello', version: '1.0.0', operations: [] })
 * const server = await serve(hello, { port: 0 })
 * console.log(server.url)
 * await server.close()
 * ```
 */
export async function serve(app: AnyApp, options: ServeOptions = {}): Promise<ServeHandle> {
  const env = options.env ?? process.env
  const port = listenPort(options, env)
  const host = options.host ?? (env.HOST || '127.0.0.1')
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`))
  const workers = options.workers ?? 1
  if (!Number.isInteger(workers) || workers < 1) {
    throw new RangeError(`Invalid workers "${String(workers)}": expected a whole number of at least 1`)
  }
  const keepAliveTimeout = options.keepAliveTimeout ?? 5_000
  if (!Number.isInteger(keepAliveTimeout) || keepAliveTimeout < 0) {
    throw new RangeError(
      `Invalid keepAliveTimeout "${String(keepAliveTimeout)}": expected a whole number of milliseconds, 0 or more`,
    )
  }
  if (workers > 1 && cluster.isPrimary) {
    const primary = await servePrimary(app, workers, displayHost(host), print)
    if (options.signals !== false) stopOnSignal(primary.close)
    return { ...primary, host, server: undefined }
  }
  const runtime = await startApp(app, { env })
  const stderr = bufferedStderr()
  const handlerOptions = withDocuments(app, options)
  if (options.accessLog === undefined || options.accessLog === true) {
    // The app's log level decides, as for any info line. Lines leave in batches, once per
    // event-loop turn, instead of one write each.
    const level = runtime.log.level
    if (level === 'debug' || level === 'info') {
      handlerOptions.log = createLogger({ level, write: stderr.write, fields: { app: app.name } })
    } else handlerOptions.accessLog = false
  }
  const handle = createSyncHandler(app, handlerOptions)
  const limit = options.bodyLimit ?? 1024 * 1024
  const limitDigits = String(Math.floor(limit)).length
  let closing = false

  // Only an access log reads the client's address.
  const withAddress = handlerOptions.accessLog !== false

  // Connections that have had a request, for the idle sweep.
  const connections = new Set<TrackedSocket>()
  const onSocketClose = function (this: TrackedSocket): void {
    connections.delete(this)
    cancelUnfinished(this)
  }
  /** The connection's state for this request, made on its first. */
  const connectionOf = (socket: TrackedSocket, res: ServerResponse): Connection => {
    let state = socket[kState]
    if (state === undefined) {
      state = new Connection(res)
      socket[kState] = state
      socket.once('close', onSocketClose)
      if (keepAliveTimeout > 0) connections.add(socket)
    } else state.next(res)
    return state
  }

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    const url = req.url as string
    const q = url.indexOf('?')
    const socket = req.socket
    const request: HttpRequest = {
      method: req.method as string,
      path: q === -1 ? url : url.slice(0, q),
      query: q === -1 ? '' : url.slice(q + 1),
      headers: req.headers as Record<string, string | undefined>,
      body: undefined,
      abort: connectionOf(socket, res),
    }
    if (withAddress && socket.remoteAddress !== undefined) {
      request.remoteAddress = socket.remoteAddress
    }
    // node writes the `Keep-Alive: timeout=…` header from this (its server's keepAliveTimeout is 0).
    const keptAlive = res as ServerResponse & { _keepAliveTimeout: number }
    keptAlive._keepAliveTimeout = keepAliveTimeout
    if (closing) res.setHeader('connection', 'close')
    const method = request.method
    if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS' || !hasBody(req)) {
      dispatch(request, res)
      return
    }
    // Only a declared length with as many digits as the limit can be over it.
    const length = req.headers['content-length']
    if (length !== undefined && length.length >= limitDigits) {
      const declared = Number(length)
      if (declared > limit) {
        request.bodyTooLarge = declared
        refuse(req, res, request)
        return
      }
    }
    // A body sent with the head reaches the parser after this listener returns, in the same
    // turn of the event loop (and after the next tick): look at it once that turn is over.
    // Every request of the turn waits on one immediate.
    pending.push(req, res, request)
    if (pending.length === 3) setImmediate(readPending)
  }

  let pending: (IncomingMessage | ServerResponse | HttpRequest)[] = []
  const readPending = (): void => {
    const list = pending
    pending = []
    for (let i = 0; i < list.length; i += 3) {
      readBody(list[i] as IncomingMessage, list[i + 1] as ServerResponse, list[i + 2] as HttpRequest)
    }
  }

  // A body that has fully arrived is read in one piece, without 'data' and 'end' events; a
  // longer one streams in through listeners that count it against the limit.
  const readBody = (req: IncomingMessage, res: ServerResponse, request: HttpRequest): void => {
    if (!req.complete) {
      streamBody(req, res, request)
      return
    }
    const size = req.readableLength
    if (size > limit) {
      request.bodyTooLarge = size
      refuse(req, res, request)
      return
    }
    const body = req.read() as Buffer | null
    // node:http counts a body as consumed only once the stream's `_read` ran, which a body read
    // whole after it ended never calls: the response's end would then "dump" the drained
    // request, a resume and a tick of stream work for nothing.
    ;(req as IncomingMessage & { _consuming: boolean })._consuming = true
    request.body = body === null ? '' : body.toString()
    dispatch(request, res)
  }

  const streamBody = (req: IncomingMessage, res: ServerResponse, request: HttpRequest): void => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > limit) {
        if (request.bodyTooLarge !== undefined) return
        request.bodyTooLarge = size
        chunks.length = 0
        refuse(req, res, request)
        return
      }
      chunks.push(chunk)
    })
    req.once('end', () => {
      if (request.bodyTooLarge !== undefined) return
      request.body = chunks.length === 1 ? (chunks[0] as Buffer).toString() : Buffer.concat(chunks).toString()
      dispatch(request, res)
    })
    req.once('error', () => {
      if (!res.headersSent) res.destroy()
    })
  }

  const answer = (res: ServerResponse, out: HttpResponse): void => {
    // A response finished during shutdown closes its connection instead of idling on keep-alive.
    if (closing) out.headers.connection = 'close'
    send(res, out)
  }

  // The handler answers synchronously when the call settled synchronously: no promise then.
  const dispatch = (request: HttpRequest, res: ServerResponse): void => {
    const out = handle(request)
    if (!(out instanceof Promise)) {
      answer(res, out)
      return
    }
    out.then(
      (settled) => answer(res, settled),
      () => {
        if (!res.headersSent) res.writeHead(500, emptyHeaders)
        res.end()
      },
    )
  }

  // Over the limit: answer 413 and close the connection rather than read the rest of the body.
  const refuse = (req: IncomingMessage, res: ServerResponse, request: HttpRequest): void => {
    res.setHeader('connection', 'close')
    void Promise.resolve(handle(request)).then((out) => {
      send(res, out)
      req.resume()
    })
  }

  const server = createServer(
    {
      headersTimeout: options.headersTimeout ?? 10_000,
      requestTimeout: options.requestTimeout ?? 30_000,
      // Enforced by sweepIdle instead (see there).
      keepAliveTimeout: 0,
      connectionsCheckingInterval: Math.min(1000, options.headersTimeout ?? 10_000),
    },
    onRequest,
  )
  server.on('clientError', onClientError)
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const address = server.address()
  const actualPort = typeof address === 'object' && address !== null ? address.port : port
  const url = `http://${displayHost(host)}:${actualPort}`
  if (print !== false && !cluster.isWorker) print(`${app.name} listening on ${url}`)
  const stopSweep = keepAliveTimeout > 0 ? sweepIdle(connections, keepAliveTimeout) : undefined

  let closed: Promise<void> | undefined
  const close = (): Promise<void> => {
    closed ??= (async () => {
      closing = true
      const finished = new Promise<void>((resolve) => server.close(() => resolve()))
      server.closeIdleConnections()
      const deadline = options.shutdownTimeout ?? 10_000
      let timer: ReturnType<typeof setTimeout> | undefined
      await Promise.race([finished, new Promise<void>((resolve) => (timer = setTimeout(resolve, deadline)))])
      clearTimeout(timer)
      server.closeAllConnections()
      stopSweep?.()
      stderr.flush()
      await stopApp(app)
    })()
    return closed
  }
  if (options.signals !== false) stopOnSignal(close)
  return { url, port: actualPort, host, server, close }
}

function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length']
  return (length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined
}
