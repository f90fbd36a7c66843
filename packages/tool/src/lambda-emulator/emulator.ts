/**
 * A Lambda execution environment on this machine: a Runtime API server (LAMBDA.md section 5)
 * and the function in a separate Node.js process, started with the Lambda environment
 * variables and our own runtime client (`bootstrap.mjs`). It feeds events one at a time,
 * enforces the timeout (the process is killed, as Lambda does, and the next call starts cold),
 * and measures init and invoke durations.
 *
 * @module
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { existsSync, statSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { basename, dirname, extname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/** Lambda's synchronous request and response payload limit. */
export const syncPayloadLimit = 6 * 1024 * 1024

/** Options of {@link startEmulator}. */
export interface EmulatorOptions {
  /** The bundle (`dist/lambda/index.mjs`) or the task root that holds it. */
  readonly bundle: string
  /** `<file>.<export>`; defaults to `<bundle file name without extension>.handler`. */
  readonly handler?: string
  /** Function timeout in seconds; defaults to 3, as on Lambda. */
  readonly timeout?: number
  /** How long the Init phase may take in seconds before Lambda retries it; defaults to 10, as on Lambda. */
  readonly initTimeout?: number
  /** Memory size in MB, reported to the function; defaults to 128. */
  readonly memory?: number
  /** Function name; defaults to the bundle's directory name. */
  readonly name?: string
  /** Extra environment variables of the function. */
  readonly env?: Readonly<Record<string, string>>
  /** Port of the server (Runtime API and invoke endpoint); 0 picks a free one. */
  readonly port?: number
  readonly host?: string
  /** Where the function's output and REPORT lines go; defaults to stderr. */
  readonly log?: (line: string) => void
  /** Answers requests on other paths (the HTTP bridge of `lambda serve`). */
  readonly fallback?: (req: IncomingMessage, res: ServerResponse, emulator: Emulator) => void
}

/** What one invocation gave. */
export interface Invocation {
  readonly requestId: string
  /** The parsed payload on success. */
  readonly payload?: unknown
  /** The raw bytes of a streamed response (prelude included). */
  readonly stream?: Uint8Array
  /** Set when the function failed: `{ errorType, errorMessage, trace }`. */
  readonly error?: { errorType: string; errorMessage: string; trace?: string[] }
  /** Milliseconds from handing the event over to the answer. */
  readonly duration: number
  /** Milliseconds of the Init phase, when this invocation started the environment. */
  readonly initDuration?: number
}

/** A running emulator. */
export interface Emulator {
  /** `http://host:port` of the server. */
  readonly url: string
  /** Sends one event and waits for the answer. */
  invoke(event: unknown, options?: { clientContext?: unknown }): Promise<Invocation>
  /** Stops the function and the server. */
  close(): Promise<void>
}

interface Pending {
  readonly id: string
  readonly body: string
  readonly clientContext: string | undefined
  readonly resolve: (value: Invocation) => void
  started?: number
  timer?: ReturnType<typeof setTimeout>
  initDuration?: number
}

/**
 * The runtime client: beside this module in the sources; from `dist/`, tsc does not copy `.mjs`
 * files, so it falls back to the sources of the package.
 */
function bootstrapPath(): string {
  for (const candidate of ['./bootstrap.mjs', '../../src/lambda-emulator/bootstrap.mjs']) {
    const path = fileURLToPath(new URL(candidate, import.meta.url))
    if (existsSync(path)) return path
  }
  throw new Error('Cannot find the Lambda runtime client "bootstrap.mjs" of the manifold tool')
}

/**
 * Resolves a bundle path to the task root and the default handler string.
 *
 * @example
 * ```ts
 * import { taskOf } from './emulator.ts'
 * taskOf('dist/lambda/index.mjs') // { root: '/…/dist/lambda', handler: 'index.handler' }
 * ```
 */
export function taskOf(bundle: string, handler?: string): { root: string; handler: string } {
  const path = resolve(bundle)
  if (!existsSync(path)) throw new Error(`Cannot find the bundle "${bundle}"`)
  if (statSync(path).isDirectory()) return { root: path, handler: handler ?? 'index.handler' }
  return { root: dirname(path), handler: handler ?? `${basename(path, extname(path))}.handler` }
}

/** Reads a whole request body. */
export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((done, fail) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => done(Buffer.concat(chunks)))
    req.on('error', fail)
  })
}

function errorOf(body: Buffer, type: string | undefined): NonNullable<Invocation['error']> {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as NonNullable<Invocation['error']>
    return { ...parsed, errorType: type ?? parsed.errorType ?? 'Error' }
  } catch {
    return { errorType: type ?? 'Error', errorMessage: body.toString('utf8') }
  }
}

/**
 * Starts an emulator for a bundle. The function process starts on the first invocation
 * (a cold start), and again after a timeout or a crash.
 *
 * @example
 * ```ts
 * import { startEmulator } from './emulator.ts'
 * const emulator = await startEmulator({ bundle: 'dist/lambda/index.mjs' })
 * const { payload } = await emulator.invoke({ op: 'list', input: {} })
 * await emulator.close()
 * ```
 */
export async function startEmulator(options: EmulatorOptions): Promise<Emulator> {
  const task = taskOf(options.bundle, options.handler)
  const timeout = (options.timeout ?? 3) * 1000
  const memory = options.memory ?? 128
  const initLimit = (options.initTimeout ?? 10) * 1000
  const name = options.name ?? (basename(task.root) || 'function')
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`))
  const queue: Pending[] = []
  const waiting: ServerResponse[] = []
  let current: Pending | undefined
  let child: ChildProcess | undefined
  let spawnedAt = 0
  let initialized = false
  let initError: Invocation['error'] | undefined
  let closed = false
  let initTimer: ReturnType<typeof setTimeout> | undefined

  const finish = (pending: Pending, result: Omit<Invocation, 'requestId' | 'duration'>) => {
    if (pending.timer !== undefined) clearTimeout(pending.timer)
    const duration = pending.started === undefined ? 0 : performance.now() - pending.started
    const invocation: Invocation = {
      requestId: pending.id,
      duration,
      ...(pending.initDuration === undefined ? {} : { initDuration: pending.initDuration }),
      ...result,
    }
    const init =
      pending.initDuration === undefined ? '' : `\tInit Duration: ${pending.initDuration.toFixed(2)} ms`
    log(
      `REPORT RequestId: ${pending.id}\tDuration: ${duration.toFixed(2)} ms\tBilled Duration: ${Math.ceil(duration)} ms\tMemory Size: ${memory} MB${init}${result.error === undefined ? '' : `\tStatus: ${result.error.errorType}`}`,
    )
    if (current === pending) current = undefined
    pending.resolve(invocation)
    dispatch()
  }

  const stopChild = () => {
    clearTimeout(initTimer)
    const c = child
    child = undefined
    initialized = false
    if (c !== undefined && c.exitCode === null) c.kill('SIGKILL')
    for (const res of waiting.splice(0)) res.destroy()
  }

  const nextResponse = (res: ServerResponse, pending: Pending) => {
    current = pending
    const now = Date.now()
    if (!initialized) {
      initialized = true
      clearTimeout(initTimer)
      pending.initDuration = performance.now() - spawnedAt
    }
    pending.started = performance.now()
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'lambda-runtime-aws-request-id': pending.id,
      'lambda-runtime-deadline-ms': String(now + timeout),
      'lambda-runtime-invoked-function-arn': `arn:aws:lambda:us-east-1:123456789012:function:${name}`,
      'lambda-runtime-trace-id': `Root=1-${Math.floor(now / 1000).toString(16)}-${randomUUID().replace(/-/g, '').slice(0, 24)};Sampled=0`,
    }
    if (pending.clientContext !== undefined) headers['lambda-runtime-client-context'] = pending.clientContext
    pending.timer = setTimeout(() => {
      stopChild()
      finish(pending, {
        error: {
          errorType: 'Sandbox.Timedout',
          errorMessage: `Task timed out after ${(timeout / 1000).toFixed(2)} seconds`,
        },
      })
    }, timeout)
    res.writeHead(200, headers).end(pending.body)
  }

  const dispatch = () => {
    if (closed || current !== undefined || queue.length === 0) return
    if (child === undefined) {
      spawnChild()
      return
    }
    const res = waiting.shift()
    if (res === undefined) return
    nextResponse(res, queue.shift() as Pending)
  }

  const server: Server = createServer((req, res) => {
    void route(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ errorMessage: String(error) }))
    })
  })

  const route = async (req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? '/'
    const runtime = '/2018-06-01/runtime'
    if (url === `${runtime}/invocation/next` && req.method === 'GET') {
      waiting.push(res)
      req.on('close', () => {
        const i = waiting.indexOf(res)
        if (i !== -1) waiting.splice(i, 1)
      })
      dispatch()
      return
    }
    const match = /^\/2018-06-01\/runtime\/invocation\/([^/]+)\/(response|error)$/.exec(url)
    if (match !== null && req.method === 'POST') {
      const pending = current
      if (pending === undefined || pending.id !== match[1]) {
        res.writeHead(400, { 'content-type': 'application/json' })
        res.end(
          JSON.stringify({
            errorType: 'InvalidRequestID',
            errorMessage: `No invocation "${match[1]}" is running`,
          }),
        )
        return
      }
      const body = await readBody(req)
      res.writeHead(202, { 'content-type': 'application/json' }).end('{"status":"OK"}')
      if (match[2] === 'error') {
        finish(pending, {
          error: errorOf(body, req.headers['lambda-runtime-function-error-type'] as string | undefined),
        })
        return
      }
      const trailerType = req.trailers['lambda-runtime-function-error-type']
      if (trailerType !== undefined) {
        const encoded = req.trailers['lambda-runtime-function-error-body'] ?? ''
        finish(pending, { error: errorOf(Buffer.from(encoded, 'base64'), trailerType) })
        return
      }
      if (req.headers['lambda-runtime-function-response-mode'] === 'streaming') {
        // A streaming function invoked by a non-HTTP trigger writes its JSON result to the stream.
        const http = req.headers['content-type'] === 'application/vnd.awslambda.http-integration-response'
        let payload: unknown
        if (!http) {
          try {
            payload = JSON.parse(body.toString('utf8'))
          } catch {}
        }
        finish(pending, { stream: new Uint8Array(body), ...(payload === undefined ? {} : { payload }) })
        return
      }
      if (body.byteLength > syncPayloadLimit) {
        finish(pending, {
          error: {
            errorType: 'Function.ResponseSizeTooLarge',
            errorMessage: `Response payload size (${body.byteLength} bytes) exceeded maximum allowed payload size (${syncPayloadLimit} bytes)`,
          },
        })
        return
      }
      try {
        finish(pending, { payload: JSON.parse(body.toString('utf8')) })
      } catch {
        finish(pending, {
          error: { errorType: 'Runtime.InvalidResponse', errorMessage: 'The response is not JSON' },
        })
      }
      return
    }
    if (url === `${runtime}/init/error` && req.method === 'POST') {
      const body = await readBody(req)
      initError = errorOf(body, req.headers['lambda-runtime-function-error-type'] as string | undefined)
      res.writeHead(202, { 'content-type': 'application/json' }).end('{"status":"OK"}')
      return
    }
    if (url === '/2015-03-31/functions/function/invocations' && req.method === 'POST') {
      const body = await readBody(req)
      const event = body.byteLength === 0 ? {} : JSON.parse(body.toString('utf8'))
      const result = await emulator.invoke(event)
      if (result.error !== undefined) {
        res.writeHead(200, { 'content-type': 'application/json', 'x-amz-function-error': 'Unhandled' })
        res.end(JSON.stringify(result.error))
      } else if (result.stream !== undefined) {
        res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(result.stream)
      } else {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result.payload ?? null))
      }
      return
    }
    if (options.fallback !== undefined) {
      options.fallback(req, res, emulator)
      return
    }
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"errorMessage":"Not found"}')
  }

  await new Promise<void>((done) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', done))
  const address = server.address() as AddressInfo
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address
  const runtimeApi = `${host}:${address.port}`

  const spawnChild = () => {
    initError = undefined
    spawnedAt = performance.now()
    // Init gets 10 s; Lambda then retries it within the function timeout before giving up.
    initTimer = setTimeout(() => {
      initError = {
        errorType: 'Runtime.InitTimeout',
        errorMessage: `Init did not finish within ${((initLimit + timeout) / 1000).toFixed(2)} seconds`,
      }
      child?.kill('SIGKILL')
    }, initLimit + timeout)
    const bootstrap = bootstrapPath()
    const proc = spawn(process.execPath, [bootstrap], {
      cwd: task.root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        LANG: 'en_US.UTF-8',
        TZ: ':UTC',
        AWS_LAMBDA_RUNTIME_API: runtimeApi,
        _HANDLER: task.handler,
        LAMBDA_TASK_ROOT: task.root,
        LAMBDA_RUNTIME_DIR: dirname(bootstrap),
        AWS_EXECUTION_ENV: `AWS_Lambda_nodejs${process.versions.node.split('.')[0]}.x`,
        AWS_LAMBDA_FUNCTION_NAME: name,
        AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(memory),
        AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
        AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${name}`,
        AWS_LAMBDA_LOG_STREAM_NAME: `${new Date().toISOString().slice(0, 10).replace(/-/g, '/')}/[$LATEST]${randomUUID().replace(/-/g, '')}`,
        AWS_REGION: 'us-east-1',
        AWS_DEFAULT_REGION: 'us-east-1',
        ...options.env,
      },
    })
    child = proc
    const forward = (stream: NodeJS.ReadableStream | null) => {
      let rest = ''
      stream?.on('data', (chunk: Buffer) => {
        const lines = (rest + chunk.toString('utf8')).split('\n')
        rest = lines.pop() ?? ''
        for (const line of lines) log(line)
      })
      stream?.on('end', () => {
        if (rest !== '') log(rest)
      })
    }
    forward(proc.stdout)
    forward(proc.stderr)
    proc.on('exit', (code, signal) => {
      if (child !== proc) return
      clearTimeout(initTimer)
      child = undefined
      initialized = false
      // Init failed, or the process died: fail the invocation it was on, or the next one.
      const pending = current ?? queue.shift()
      if (pending === undefined) return
      if (current === undefined && pending.started === undefined) pending.started = performance.now()
      finish(
        pending,
        initError !== undefined
          ? { error: initError }
          : {
              error: {
                errorType: 'Runtime.ExitError',
                errorMessage: `RequestId: ${pending.id} Error: Runtime exited with ${signal === null ? `error: exit status ${code}` : `signal: ${signal}`}`,
              },
            },
      )
    })
    log(`START environment: handler "${task.handler}" in "${task.root}"`)
  }

  const emulator: Emulator = {
    url: `http://${runtimeApi}`,
    invoke(event, invokeOptions = {}) {
      const body = JSON.stringify(event ?? null)
      const id = randomUUID()
      if (Buffer.byteLength(body) > syncPayloadLimit) {
        return Promise.resolve({
          requestId: id,
          duration: 0,
          error: {
            errorType: 'RequestEntityTooLargeException',
            errorMessage: `Request must be smaller than ${syncPayloadLimit} bytes for the InvokeFunction operation`,
          },
        })
      }
      return new Promise((resolvePromise) => {
        queue.push({
          id,
          body,
          clientContext:
            invokeOptions.clientContext === undefined
              ? undefined
              : Buffer.from(JSON.stringify(invokeOptions.clientContext)).toString('base64'),
          resolve: resolvePromise,
        })
        dispatch()
      })
    },
    async close() {
      closed = true
      const proc = child
      stopChild()
      if (proc !== undefined && proc.exitCode === null) await new Promise((done) => proc.once('exit', done))
      const stopped = new Promise<void>((done) => server.close(() => done()))
      server.closeAllConnections()
      await stopped
    },
  }
  return emulator
}
