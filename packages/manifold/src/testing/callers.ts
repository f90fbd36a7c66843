/**
 * One caller per surface: each sends a call the way a real client of that surface does and
 * reduces the answer to an {@link Outcome}, noting where the surface broke its own mapping.
 *
 * @module
 */
import { spawn } from 'node:child_process'
import type { AnyApp } from '../app.ts'
import { errorCodes, isErrorCode } from '../errors.ts'
import { routesOf } from '../internal/route.ts'
import { invoke } from '../invoke.ts'
import type { AnyOp } from '../op.ts'
import { isProblem, toProblem } from '../problem.ts'
import { failure, lastJsonLine, type Outcome, success } from './outcome.ts'
import { type LambdaHttpKind, lambdaContext, toLambdaEvent, toWireRequest } from './wire.ts'

/** Calls one operation on one surface; undefined when the operation is hidden there. */
export type Caller = (op: AnyOp, input: unknown, token: string | undefined) => Promise<Outcome | undefined>

const isAsyncIterable = (v: unknown): v is AsyncIterable<unknown> =>
  typeof (v as AsyncIterable<unknown> | null)?.[Symbol.asyncIterator] === 'function'

async function collect(items: AsyncIterable<unknown>): Promise<unknown[]> {
  const all: unknown[] = []
  for await (const item of items) all.push(item)
  return all
}

/** In process, through `invoke`. */
export function directCaller(app: AnyApp): Caller {
  return async (op, input, token) => {
    try {
      const value: unknown = await invoke(app, op.name, input as never, {
        ...(token === undefined ? {} : { credentials: { token } }),
      })
      return isAsyncIterable(value) ? success(await collect(value), true) : success(value, false)
    } catch (error) {
      return failure(toProblem(error as never))
    }
  }
}

function successStatus(op: AnyOp, body: string): number {
  const status = routesOf(op)[0]?.status ?? 200
  return body === '' && !op.stream ? 204 : status
}

/** Reads an HTTP answer (a socket's or a Lambda event result's) into an outcome. */
function fromHttp(op: AnyOp, status: number, contentType: string, text: string, where: string): Outcome {
  const violations: string[] = []
  if (contentType.startsWith('application/problem+json')) {
    let problem: unknown
    try {
      problem = JSON.parse(text)
    } catch {
      violations.push(`${where}: the problem body is not JSON: ${text.slice(0, 200)}`)
    }
    const code = (problem as { code?: unknown } | undefined)?.code
    if (isErrorCode(code) && errorCodes[code].status !== status) {
      violations.push(`${where}: status ${status} for code "${code}", expected ${errorCodes[code].status}`)
    }
    return failure(problem, violations)
  }
  if (op.stream) {
    const first = text.slice(0, text.indexOf('\n') + 1 || undefined)
    let problem: unknown
    try {
      problem = JSON.parse(first)
    } catch {
      problem = undefined
    }
    if (isProblem(problem)) {
      // A stream that fails before its first item must answer like any other failure.
      violations.push(
        `${where}: the stream failed before its first item but answered ${status} with the problem as an NDJSON line; expected status ${problem.status} and ${'application/problem+json'}`,
      )
      return failure(problem, violations)
    }
  }
  const expected = successStatus(op, text)
  if (status !== expected) violations.push(`${where}: status ${status} on success, expected ${expected}`)
  if (op.stream && !contentType.startsWith('application/x-ndjson')) {
    violations.push(`${where}: a stream answered as "${contentType}", expected application/x-ndjson`)
  }
  return { ok: true, body: text, violations }
}

/** Over a real socket to a running HTTP server. */
export function httpCaller(baseUrl: string): Caller {
  return async (op, input, token) => {
    const req = toWireRequest(op, input, token)
    if (req === undefined) return undefined
    const url = `${baseUrl}${req.path}${req.query === '' ? '' : `?${req.query}`}`
    const res = await fetch(url, {
      method: req.method,
      headers: req.headers,
      ...(req.body === undefined ? {} : { body: req.body }),
    })
    const text = await res.text()
    return fromHttp(op, res.status, res.headers.get('content-type') ?? '', text, `${req.method} ${req.path}`)
  }
}

type LambdaHandler = (event: unknown, context?: never) => Promise<unknown>

function headerOf(result: Record<string, unknown>, name: string): string {
  const single = result.headers as Record<string, string> | undefined
  const multi = result.multiValueHeaders as Record<string, string[]> | undefined
  for (const [k, v] of Object.entries(single ?? {})) if (k.toLowerCase() === name) return v
  for (const [k, v] of Object.entries(multi ?? {})) if (k.toLowerCase() === name) return v[0] ?? ''
  return ''
}

let lambdaRequests = 0

/** A Lambda HTTP event of one kind, answered by the handler in process. */
export function lambdaHttpCaller(handler: LambdaHandler, kind: LambdaHttpKind): Caller {
  return async (op, input, token) => {
    const req = toWireRequest(op, input, token)
    if (req === undefined) return undefined
    const requestId = `test-${++lambdaRequests}`
    const result = (await handler(
      toLambdaEvent(kind, req, requestId),
      lambdaContext(requestId) as never,
    )) as Record<string, unknown>
    const raw = typeof result.body === 'string' ? result.body : ''
    const text = result.isBase64Encoded === true ? Buffer.from(raw, 'base64').toString('utf8') : raw
    const status = Number(result.statusCode)
    return fromHttp(
      op,
      status,
      headerOf(result, 'content-type'),
      text,
      `lambda ${kind} ${req.method} ${req.path}`,
    )
  }
}

/** A direct invocation, `{ "op", "input" }`; failures come back as errors named by their code. */
export function lambdaDirectCaller(handler: LambdaHandler): Caller {
  return async (op, input, token) => {
    // A direct invocation carries no credentials: IAM decides who may invoke the function.
    void token
    const requestId = `test-${++lambdaRequests}`
    try {
      const value = await handler({ op: op.name, input }, lambdaContext(requestId) as never)
      return success(value, op.stream)
    } catch (error) {
      const e = error as Error & { hint?: string; errors?: unknown[] }
      const violations: string[] = []
      if (!isErrorCode(e.name)) violations.push(`lambda direct: errorType "${e.name}" is not an error code`)
      const info = isErrorCode(e.name) ? errorCodes[e.name] : undefined
      return failure(
        {
          title: info?.title,
          status: info?.status,
          detail: e.message,
          code: e.name,
          ...(e.hint === undefined ? {} : { hint: e.hint }),
          ...(e.errors === undefined ? {} : { errors: e.errors }),
        },
        violations,
      )
    }
  }
}

/** How to start the CLI: `command args… <op words> --input <json> --json`. */
export interface CliCommand {
  /** Program to run, e.g. `process.execPath`. */
  readonly command: string
  /** Arguments before the operation's words, e.g. the path of a built `cli.mjs`. */
  readonly args?: readonly string[]
  /** Environment of the process (the app's config, such as its database). */
  readonly env?: Readonly<Record<string, string | undefined>>
  /** Milliseconds before the process is killed; defaults to 30 000. */
  readonly timeout?: number
}

function run(
  cli: CliCommand,
  argv: readonly string[],
  env: Record<string, string | undefined>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cli.command, [...(cli.args ?? []), ...argv], {
      env: env as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: cli.timeout ?? 30_000,
    })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      stdout += c
    })
    child.stderr.setEncoding('utf8').on('data', (c: string) => {
      stderr += c
    })
    child.once('error', reject)
    child.once('close', (code) => resolve({ code, stdout, stderr }))
  })
}

/**
 * The CLI as a subprocess with `--json`; the input goes whole as `--input <json>`. With
 * `remote`, the same command runs against a server with `--remote <url>`.
 */
export function cliCaller(app: AnyApp, cli: CliCommand, remote?: string): Caller {
  const prefix = app.name.toUpperCase().replace(/[^A-Z0-9]+/g, '_')
  return async (op, input, token) => {
    if (op.cli === false) return undefined
    const argv = [...op.name.split('.'), '--json']
    if (input !== undefined) argv.push('--input', JSON.stringify(input))
    if (op.destructive) argv.push('--yes')
    if (remote !== undefined) argv.unshift('--remote', remote)
    const env: Record<string, string | undefined> = { ...process.env, ...cli.env, NO_COLOR: '1' }
    delete env[`${prefix}_TOKEN`]
    if (remote !== undefined) delete env[`${prefix}_REMOTE`]
    if (token !== undefined) env[`${prefix}_TOKEN`] = token
    if (remote === undefined && cli.env?.[`${prefix}_TOKEN`] !== undefined) {
      // In local mode the token is also the app's own config: keep what the caller configured.
      env[`${prefix}_TOKEN`] = cli.env[`${prefix}_TOKEN`]
    }
    const where = `cli ${remote === undefined ? '' : '--remote '}${op.name}`
    const { code, stdout, stderr } = await run(cli, argv, env)
    if (code === 0) return { ok: true, body: stdout, violations: [] }
    const problem = lastJsonLine(stderr)
    const violations: string[] = []
    const c = (problem as { code?: unknown } | undefined)?.code
    if (problem === undefined)
      violations.push(`${where}: exit ${code} without a problem on stderr: ${stderr.slice(-500)}`)
    if (isErrorCode(c) && errorCodes[c].exitCode !== code) {
      violations.push(`${where}: exit ${code} for code "${c}", expected ${errorCodes[c].exitCode}`)
    }
    return failure(problem, violations)
  }
}

interface McpClient {
  callTool(params: { name: string; arguments?: Record<string, unknown> }): Promise<{
    content?: unknown
    structuredContent?: unknown
    isError?: boolean
  }>
  close(): Promise<void>
}

/** The official MCP SDK client over Streamable HTTP (`/mcp` of a running server). */
export async function mcpCaller(
  app: AnyApp,
  url: string,
): Promise<{ caller: Caller; close: () => Promise<void> }> {
  const [{ Client, StreamableHTTPClientTransport }, { toolsOf }] = await Promise.all([
    import('@modelcontextprotocol/client'),
    import('../mcp/tools.ts'),
  ])
  const tools = toolsOf(app)
  const clients = new Map<string, McpClient>()
  const clientFor = async (token: string | undefined): Promise<McpClient> => {
    const key = token ?? ''
    const existing = clients.get(key)
    if (existing !== undefined) return existing
    const client = new Client({ name: 'manifold-testing', version: '1.0.0' })
    const headers: Record<string, string> = token === undefined ? {} : { authorization: `Bearer ${token}` }
    await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } }))
    clients.set(key, client as unknown as McpClient)
    return client as unknown as McpClient
  }
  const caller: Caller = async (op, input, token) => {
    const tool = [...tools.values()].find((t) => t.op.name === op.name)
    if (tool === undefined) return undefined
    const client = await clientFor(token)
    const args = tool.wrapsInput ? { input } : (input as Record<string, unknown> | undefined)
    const result = await client.callTool({
      name: tool.definition.name,
      ...(args === undefined ? {} : { arguments: args }),
    })
    const structured = result.structuredContent as Record<string, unknown> | undefined
    const text = (result.content as { type: string; text?: string }[] | undefined)?.find(
      (c) => c.type === 'text',
    )
    if (result.isError === true) return failure(structured ?? lastJsonLine(text?.text ?? ''))
    if (text?.text === undefined) return success(undefined, false)
    // The text content is the result's JSON; structuredContent is the same value (wrapped as
    // `{ result }` when it is not an object).
    const value: unknown = JSON.parse(text.text)
    const violations: string[] = []
    const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)
    if (!same(structured, value) && !same(structured, { result: value })) {
      violations.push(`mcp ${tool.definition.name}: structuredContent differs from the text content`)
    }
    return success(value, op.stream, violations)
  }
  return {
    caller,
    close: async () => {
      await Promise.all([...clients.values()].map((c) => c.close()))
      clients.clear()
    },
  }
}
