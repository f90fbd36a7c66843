/**
 * `serveMcp()`: an app as an MCP server over stdio, the way Claude Desktop, Cursor and
 * VS Code start local servers. Stdout carries protocol messages only.
 *
 * @module
 */
import type { AnyApp } from '../app.ts'
import { startApp } from '../runtime.ts'
import { createServer, loadSdk, loadStdioSdk } from './server.ts'
import { guardStdout } from './stdout-guard.ts'
import { toolsOf } from './tools.ts'

/** Options of {@link serveMcp}. */
export interface ServeMcpOptions {
  /** The transport; only `stdio` starts a listener here (HTTP goes through `mcpHandler`). */
  readonly transport: 'stdio'
  /** Where requests come from; defaults to `process.stdin`. */
  readonly stdin?: NodeJS.ReadableStream
  /** Where protocol messages go; defaults to `process.stdout`. */
  readonly stdout?: NodeJS.WritableStream
  /** Stops serving when aborted, as if the input had closed. */
  readonly signal?: AbortSignal
}

async function protocolStdout(
  given: NodeJS.WritableStream | undefined,
  write: ReturnType<typeof guardStdout>['write'],
): Promise<NodeJS.WritableStream> {
  if (given !== undefined) return given
  // User code's process.stdout.write now goes to stderr; the transport writes through the
  // saved original instead, with backpressure kept by a small Writable.
  const { Writable } = await import('node:stream')
  return new Writable({
    write(chunk: Uint8Array, _encoding, callback) {
      if (write(chunk, () => undefined)) callback()
      else process.stdout.once('drain', () => callback())
    },
  })
}

/**
 * Serves an app's operations as MCP tools over stdio. Resolves when the input closes (the
 * client quit) or `signal` aborts. While serving, `console.log`, `console.info`,
 * `console.debug` and `process.stdout.write` from user code go to stderr. Rejects when the
 * config is invalid, a tool name is invalid, or the SDK is not installed.
 *
 * @example
 * ```ts
 * import { serveMcp } from 'manifold/mcp'
 * import notes from './app.ts'
 * await serveMcp(notes, { transport: 'stdio' })
 * ```
 */
export async function serveMcp(target: AnyApp, options: ServeMcpOptions): Promise<void> {
  if (options?.transport !== 'stdio') {
    throw new TypeError(
      `serveMcp() got transport "${String(options?.transport)}": use "stdio", or mount mcpHandler(app) for HTTP`,
    )
  }
  const runtime = await startApp(target)
  toolsOf(target)
  const [core, stdio, { format }] = await Promise.all([loadSdk(), loadStdioSdk(), import('node:util')])
  const guard = guardStdout(format)
  try {
    const stdout = await protocolStdout(options.stdout, guard.write)
    const transport = new stdio.StdioServerTransport(
      (options.stdin ?? process.stdin) as never,
      stdout as never,
    )
    const closed = new Promise<void>((resolve) => {
      const close = transport.close.bind(transport)
      // The transport closes itself when stdin ends; this is the one place that sees it.
      transport.close = async () => {
        await close()
        resolve()
      }
    })
    const handle = stdio.serveStdio(() => createServer(target, core), {
      transport,
      onerror: (error) => runtime.log.warn('MCP stdio error', { error: error.message }),
    })
    const onAbort = () => void handle.close()
    if (options.signal?.aborted) onAbort()
    options.signal?.addEventListener('abort', onAbort, { once: true })
    await closed
    options.signal?.removeEventListener('abort', onAbort)
    await handle.close()
  } finally {
    guard.unguard()
  }
}
