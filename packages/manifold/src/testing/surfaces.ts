/**
 * `surfaces(app, options)`: start an app on every surface at once (in process, the CLI as a
 * subprocess, HTTP on a real socket, Lambda events, MCP over the SDK client) and call one
 * operation on all of them.
 *
 * @module
 */
import type { AnyApp } from '../app.ts'
import type { ServeOptions } from '../http/serve.ts'
import {
  type Caller,
  type CliCommand,
  cliCaller,
  directCaller,
  httpCaller,
  lambdaDirectCaller,
  lambdaHttpCaller,
  mcpCaller,
} from './callers.ts'
import type { Outcome } from './outcome.ts'

/** Names of the surfaces a call runs on. */
export type SurfaceName =
  | 'direct'
  | 'cli'
  | 'cli-remote'
  | 'http'
  | 'lambda-v1'
  | 'lambda-v2'
  | 'lambda-url'
  | 'lambda-alb'
  | 'lambda-direct'
  | 'mcp'

/** Options of {@link surfaces}. Every surface is on unless turned off; the CLI needs a command. */
export interface SurfacesOptions {
  /** In process through `invoke`; defaults to true. */
  readonly direct?: boolean
  /** The CLI as a subprocess; off without a command. `remote: false` skips the `--remote` run. */
  readonly cli?: (CliCommand & { readonly remote?: boolean }) | false
  /** `serve()` on 127.0.0.1 and a free port; defaults to true. */
  readonly http?: boolean | Omit<ServeOptions, 'mcp' | 'port' | 'host' | 'workers'>
  /** `lambda(app)` with API Gateway v1 and v2, Function URL, ALB and direct events; defaults to true. */
  readonly lambda?: boolean
  /** The official MCP client against `/mcp` of the HTTP server; defaults to true (needs `http`). */
  readonly mcp?: boolean
  /** Environment for the app's config in this process; defaults to `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>
}

/** Options of one {@link Surfaces.call}. */
export interface CallEverywhereOptions {
  /** A bearer token: `Authorization` on HTTP-shaped surfaces, `<APP>_TOKEN` for the CLI. */
  readonly token?: string
  /** Surfaces to leave out of this call. */
  readonly skip?: readonly SurfaceName[]
}

/** An app running on every surface. */
export interface Surfaces {
  /** The surfaces in the order calls run. */
  readonly names: readonly SurfaceName[]
  /** The HTTP server's URL, when `http` is on. */
  readonly url: string | undefined
  /**
   * Calls one operation on every surface (reads at once, writes one after another) and returns
   * each outcome in the order of {@link Surfaces.names}. When
   * `input` is a function, it is called before each surface's call to build that call's input.
   */
  call(op: string, input?: unknown, options?: CallEverywhereOptions): Promise<Map<SurfaceName, Outcome>>
  /** Whether the operation streams (its results compare as NDJSON lines). */
  isStream(op: string): boolean
  /** Stops the server and the MCP clients. */
  close(): Promise<void>
}

/**
 * Starts `app` on every surface for tests.
 *
 * @example
 * ```ts
 * import { surfaces } from 'manifold/testing'
 * const all = await surfaces(app, { cli: { command: process.execPath, args: ['dist/cli.mjs'] } })
 * const outcomes = await all.call('get', { id: 1 })
 * await all.close()
 * ```
 */
export async function surfaces(app: AnyApp, options: SurfacesOptions = {}): Promise<Surfaces> {
  const callers = new Map<SurfaceName, Caller>()
  const closers: (() => Promise<void>)[] = []
  let url: string | undefined
  try {
    if (options.direct !== false) callers.set('direct', directCaller(app))
    if (options.http !== false) {
      const [{ serve }, mcp] = await Promise.all([
        import('../http/serve.ts'),
        options.mcp === false ? undefined : import('../mcp/handler.ts'),
      ])
      const server = await serve(app, {
        ...(typeof options.http === 'object' ? options.http : {}),
        port: 0,
        host: '127.0.0.1',
        signals: false,
        print: false,
        accessLog: false,
        ...(options.env === undefined ? {} : { env: options.env }),
        ...(mcp === undefined ? {} : { mcp: mcp.mcpHandler(app) }),
      })
      closers.push(() => server.close())
      url = server.url
    }
    if (options.cli !== undefined && options.cli !== false) {
      callers.set('cli', cliCaller(app, options.cli))
      if (url !== undefined && options.cli.remote !== false)
        callers.set('cli-remote', cliCaller(app, options.cli, url))
    }
    if (url !== undefined) callers.set('http', httpCaller(url))
    if (options.lambda !== false) {
      const { lambda } = await import('../lambda/handle.ts')
      const handler = lambda(app) as (event: unknown, context?: never) => Promise<unknown>
      for (const kind of ['v1', 'v2', 'url', 'alb'] as const)
        callers.set(`lambda-${kind}`, lambdaHttpCaller(handler, kind))
      callers.set('lambda-direct', lambdaDirectCaller(handler))
    }
    if (options.mcp !== false && url !== undefined) {
      const mcp = await mcpCaller(app, `${url}/mcp`)
      callers.set('mcp', mcp.caller)
      closers.unshift(mcp.close)
    }
  } catch (error) {
    for (const close of closers) await close().catch(() => undefined)
    throw error
  }
  return {
    names: [...callers.keys()],
    url,
    async call(name, input, callOptions = {}) {
      const op = app.get(name)
      if (op === undefined) throw new TypeError(`App "${app.name}" has no operation "${name}"`)
      const out = new Map<SurfaceName, Outcome>()
      const run = async (surface: SurfaceName, caller: Caller) => {
        const raw =
          typeof input === 'function' ? await (input as (surface: SurfaceName) => unknown)(surface) : input
        return caller(op, raw, callOptions.token)
      }
      const chosen = [...callers].filter(([surface]) => callOptions.skip?.includes(surface) !== true)
      // Reads run on every surface at once; writes one after another, so each sees the last.
      const outcomes = op.readOnly
        ? await Promise.all(chosen.map(([surface, caller]) => run(surface, caller)))
        : await chosen.reduce<Promise<(Outcome | undefined)[]>>(
            async (done, [surface, caller]) => [...(await done), await run(surface, caller)],
            Promise.resolve([]),
          )
      chosen.forEach(([surface], i) => {
        const outcome = outcomes[i]
        if (outcome !== undefined) out.set(surface, outcome)
      })
      return out
    },
    isStream: (name) => app.get(name)?.stream === true,
    async close() {
      for (const close of closers) await close()
    },
  }
}
