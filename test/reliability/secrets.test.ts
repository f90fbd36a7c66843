/**
 * Secrets and internals on every surface: a handler that fails with SQL, a file path and a
 * secret cause yields a bare `internal` problem on the CLI (a real subprocess), HTTP, Lambda
 * and MCP; logs never carry the bearer token or the API key; the auth hook answers wrong,
 * expired and missing credentials with 401 on HTTP, Lambda and MCP over HTTP.
 */
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { createLogger, startApp } from 'manifold'
import { type ServeHandle, serve } from 'manifold/http'
import { lambda } from 'manifold/lambda'
import { mcpHandler } from 'manifold/mcp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { expectNoLeak, expectProblem } from './check.ts'
import { credentials, fixture, secrets } from './fixture/app.ts'
import { root } from './server-process.ts'

const cliEntry = fileURLToPath(new URL('./fixture/cli.ts', import.meta.url))
const logs: string[] = []
let server: ServeHandle
const mcp = mcpHandler(fixture)
const handler = lambda(fixture, {
  mcp,
  log: createLogger({ level: 'debug', write: (line) => logs.push(line) }),
})

beforeAll(async () => {
  await startApp(fixture, { log: createLogger({ level: 'debug', write: (line) => logs.push(line) }) })
  server = await serve(fixture, { port: 0, print: false, signals: false, mcp })
})
afterAll(() => server.close())

function runCli(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number | null; out: string }>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=source', cliEntry, ...args], {
      cwd: root,
      env: { ...process.env, NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    child.stdout.on('data', (d: Buffer) => (out += d))
    child.stderr.on('data', (d: Buffer) => (out += d))
    child.on('close', (code) => resolve({ code, out }))
  })
}

const events = new URL('../fixtures/lambda-events/', import.meta.url)
const v2Sample = JSON.parse(
  readFileSync(new URL('aws-lambda-go/apigw-v2-request-no-authorizer.json', events), 'utf8'),
)

/** An API Gateway HTTP API (v2) event for one request. */
function v2Event(method: string, path: string, headers: Record<string, string>, body?: string): unknown {
  return {
    ...v2Sample,
    rawPath: path,
    rawQueryString: '',
    cookies: undefined,
    headers: { host: 'api.example.com', ...headers },
    requestContext: { ...v2Sample.requestContext, http: { ...v2Sample.requestContext.http, method, path } },
    body,
    isBase64Encoded: false,
  }
}

const mcpHeaders = {
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
  'mcp-protocol-version': '2025-11-25',
}
const toolCall = (name: string) =>
  JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: {} } })

/** The tool result of an MCP answer (JSON or one SSE event). */
async function toolResult(response: Response): Promise<{ isError?: boolean; structuredContent?: unknown }> {
  const text = await response.text()
  const json = text.startsWith('event:') ? (/^data: (.*)$/m.exec(text)?.[1] ?? 'null') : text
  return (JSON.parse(json) as { result: { isError?: boolean; structuredContent?: unknown } }).result
}

describe('an internal error leaves nothing internal', () => {
  it.each([
    ['human output', ['boom'], {}],
    ['--json', ['boom', '--json'], {}],
    ['MANIFOLD_LOG=info and a token', ['boom'], { MANIFOLD_LOG: 'info', FORTRESS_TOKEN: secrets.token }],
  ])('the CLI (subprocess) exits 70 with %s', async (_what, args, env) => {
    const { code, out } = await runCli(args, env)
    expect(code).toBe(70)
    expect(out).toMatch(/Internal error/)
    expectNoLeak(out)
  })

  it.each([
    ['JSON', {}],
    ['SSE', { accept: 'text/event-stream' }],
  ] as [string, Record<string, string>][])(
    'HTTP answers a bare internal problem (%s)',
    async (_what, headers) => {
      const response = await fetch(`${server.url}/boom`, { headers })
      const text = await response.text()
      const head = [...response.headers].map(([k, v]) => `${k}: ${v}`).join('\n')
      expectNoLeak(text + head)
      // A call that fails before its first event answers problem+json on SSE too.
      expect(response.status).toBe(500)
      expect(expectProblem(JSON.parse(text), 500).code).toBe('internal')
    },
  )

  it('Lambda answers an HTTP event with a bare internal problem', async () => {
    const result = (await handler(v2Event('GET', '/boom', {}), { awsRequestId: 'r1' })) as {
      statusCode: number
      body: string
      headers: Record<string, string>
    }
    expect(result.statusCode).toBe(500)
    expectNoLeak(JSON.stringify(result))
    expect(expectProblem(JSON.parse(result.body), 500).code).toBe('internal')
  })

  it('Lambda fails a direct invocation with errorType "internal" and a bare message', async () => {
    const error = (await handler({ op: 'boom' }, { awsRequestId: 'r2' }).catch((e: unknown) => e)) as Error
    expect(error.name).toBe('internal')
    // What the Lambda runtime sends back to the invoker: errorType, errorMessage and the stack's lines.
    expectNoLeak(`${error.name} ${error.message}`)
  })

  it('MCP over HTTP answers an isError result with a bare internal problem', async () => {
    const response = await fetch(`${server.url}/mcp`, {
      method: 'POST',
      headers: mcpHeaders,
      body: toolCall('boom'),
    })
    const result = await toolResult(response.clone())
    expect(result.isError).toBe(true)
    expect(expectProblem(result.structuredContent).code).toBe('internal')
    expectNoLeak(await response.text())
  })
})

describe('the auth hook on every HTTP-shaped surface', () => {
  const cases = [
    { what: 'missing credentials', headers: {}, status: 401, detail: /requires authentication/ },
    { what: 'a wrong token', headers: { authorization: 'Bearer nope' }, status: 401, detail: /not valid/ },
    {
      what: 'an expired token',
      headers: { authorization: `Bearer ${credentials.expiredToken}` },
      status: 401,
      detail: /expired/,
    },
    { what: 'a wrong API key', headers: { 'x-api-key': 'key_wrong' }, status: 401, detail: /not valid/ },
    {
      what: 'a valid token',
      headers: { authorization: `Bearer ${credentials.token}` },
      status: 200,
      detail: /ada/,
    },
    { what: 'a valid API key', headers: { 'x-api-key': credentials.apiKey }, status: 200, detail: /ada/ },
  ]

  it.each(cases)('HTTP answers $what with $status', async ({ headers, status, detail }) => {
    const response = await fetch(`${server.url}/whoami`, { headers })
    expect(response.status).toBe(status)
    const text = await response.text()
    expect(text).toMatch(detail)
    if (status !== 200) expect(expectProblem(JSON.parse(text), status).code).toBe('unauthenticated')
  })

  it.each(cases)('Lambda answers $what with $status', async ({ headers, status, detail }) => {
    const result = (await handler(v2Event('GET', '/whoami', headers), { awsRequestId: 'r3' })) as {
      statusCode: number
      body: string
    }
    expect(result.statusCode).toBe(status)
    expect(result.body).toMatch(detail)
    if (status !== 200) expect(expectProblem(JSON.parse(result.body), status).code).toBe('unauthenticated')
  })

  it.each(cases)('MCP over HTTP answers $what', async ({ headers, status, detail }) => {
    const response = await fetch(`${server.url}/mcp`, {
      method: 'POST',
      headers: { ...mcpHeaders, ...headers },
      body: toolCall('whoami'),
    })
    const result = await toolResult(response)
    expect(JSON.stringify(result)).toMatch(detail)
    if (status === 200) expect(result.isError).toBeUndefined()
    else {
      expect(result.isError).toBe(true)
      expect(expectProblem(result.structuredContent).code).toBe('unauthenticated')
    }
  })

  it('logs never print the bearer token or the API key', async () => {
    const secretHeaders = { authorization: `Bearer ${secrets.token}`, 'x-api-key': secrets.apiKey }
    await fetch(`${server.url}/boom`, { headers: secretHeaders })
    await fetch(`${server.url}/whoami`, { headers: { authorization: `Bearer ${credentials.expiredToken}` } })
    await fetch(`${server.url}/mcp`, {
      method: 'POST',
      headers: { ...mcpHeaders, ...secretHeaders },
      body: toolCall('boom'),
    })
    await handler(v2Event('GET', '/boom', secretHeaders), { awsRequestId: 'r4' })
    const text = logs.join('\n')
    // The logs did record these calls (the internal error with its cause), so the check is not vacuous.
    expect(text).toContain('operation failed')
    expect(text).toContain('10.0.0.7:5432')
    expect(text).not.toContain(secrets.token)
    expect(text).not.toContain(secrets.apiKey)
    expect(text).not.toContain(credentials.expiredToken)
  })
})
