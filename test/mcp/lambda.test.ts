// MCP on AWS Lambda: the official client talks to lambda(app, { mcp }) through Function URL
// events (AWS itself cannot run here; the event is a recorded Function URL request).
import { readFileSync } from 'node:fs'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/client'
import { createLogger } from 'manifold'
import { lambda } from 'manifold/lambda'
import { mcpHandler } from 'manifold/mcp'
import { describe, expect, it } from 'vitest'
import fixture from './fixture/app.ts'
import { eras, newClient, progressRecorder, textJson } from './helpers.ts'

const recorded = JSON.parse(
  readFileSync(
    new URL(
      '../fixtures/lambda-events/powertools-lambda-typescript/lambda-url-get-request.json',
      import.meta.url,
    ),
    'utf8',
  ),
) as { requestContext: { http: Record<string, unknown> } & Record<string, unknown> } & Record<string, unknown>

const handler = lambda(fixture, { mcp: mcpHandler(fixture), log: createLogger({ level: 'silent' }) })
const host = 'abc123.lambda-url.us-east-1.on.aws'

interface UrlResult {
  statusCode: number
  headers?: Record<string, string>
  body?: string
  isBase64Encoded?: boolean
}

/** A fetch that turns each request into a Function URL event and the handler's result back. */
async function viaLambda(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  const request = new Request(input, init)
  const url = new URL(request.url)
  const headers: Record<string, string> = { host }
  request.headers.forEach((value, key) => {
    headers[key] = value
  })
  const body = request.method === 'GET' ? undefined : await request.text()
  const event = {
    ...recorded,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    requestContext: {
      ...recorded.requestContext,
      domainName: host,
      http: { ...recorded.requestContext.http, method: request.method, path: url.pathname },
    },
    ...(body === undefined ? {} : { body, isBase64Encoded: false }),
  }
  const result = (await handler(event, {
    awsRequestId: crypto.randomUUID(),
    getRemainingTimeInMillis: () => 30_000,
  })) as UrlResult
  const payload =
    result.body === undefined ? null : Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8')
  return new Response(result.statusCode === 204 ? null : payload, {
    status: result.statusCode,
    headers: result.headers ?? {},
  })
}

describe.each(eras)('lambda(app, { mcp }) with a %s client', (era) => {
  it('lists tools, calls them, returns problems and progress through Function URL events', async () => {
    const client = newClient(era)
    const progress = progressRecorder(client)
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`https://${host}/mcp`), {
        fetch: viaLambda,
        requestInit: { headers: { authorization: 'Bearer good-token' } },
      }),
    )
    try {
      expect(client.getNegotiatedProtocolVersion()).toBe(era)
      const { tools } = await client.listTools()
      expect(tools).toHaveLength(11)
      const greeting = await client.callTool({ name: 'greet', arguments: { name: 'Lambda' } })
      expect(greeting.structuredContent).toEqual({ message: 'Hello, Lambda!' })
      const who = await client.callTool({ name: 'whoami', arguments: {} })
      expect(who.structuredContent).toEqual({ principal: { user: 'ada', via: 'mcp' } })
      const missing = await client.callTool({ name: 'delete_note', arguments: { id: 'none' } })
      expect(missing.isError).toBe(true)
      expect(textJson(missing)).toMatchObject({ code: 'not_found', status: 404 })
      const work = await client.callTool(
        { name: 'work', arguments: { steps: 2 } },
        { onprogress: progress.onprogress },
      )
      expect(work.structuredContent).toEqual({ done: 2 })
      expect(progress.sent().map((p) => p.progress)).toEqual([1, 2])
      expect(progress.otherErrors).toEqual([])
    } finally {
      await client.close()
    }
  })
})
