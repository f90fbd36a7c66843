import { app, op } from 'manifold'
import { mcpHandler } from 'manifold/mcp'
import { describe, expect, it } from 'vitest'
import { credentialsOf } from './handler.ts'

const hello = app({
  name: 'hello',
  version: '1.0.0',
  operations: [op({ name: 'greet', handler: () => 'hi' })],
})

const post = (body: string, headers: Record<string, string> = {}) =>
  new Request('http://127.0.0.1/mcp', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...headers,
    },
    body,
  })

const initialize = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '0' } },
})

describe('credentialsOf()', () => {
  it.each([
    {
      description: 'a bearer token',
      headers: { authorization: 'Bearer abc' },
      token: 'abc',
      apiKey: undefined,
    },
    {
      description: 'a lower-case scheme',
      headers: { authorization: 'bearer  abc' },
      token: 'abc',
      apiKey: undefined,
    },
    { description: 'an API key', headers: { 'x-api-key': 'k1' }, token: undefined, apiKey: 'k1' },
    {
      description: 'Basic auth (not a token)',
      headers: { authorization: 'Basic Zm9v' },
      token: undefined,
      apiKey: undefined,
    },
    { description: 'nothing', headers: {}, token: undefined, apiKey: undefined },
  ])('reads $description', ({ headers, token, apiKey }) => {
    const credentials = credentialsOf(new Request('http://x/mcp', { headers }))
    expect(credentials.token).toBe(token)
    expect(credentials.apiKey).toBe(apiKey)
    expect(credentials.headers).toMatchObject(headers)
  })
})

describe('mcpHandler() as a fetch handler', () => {
  it('answers an initialize request with the app as server info', async () => {
    const response = await mcpHandler(hello)(post(initialize))
    expect(response.status).toBe(200)
    const text = await response.text()
    expect(text).toContain('"serverInfo":{"name":"hello","version":"1.0.0"}')
  })

  it('answers a body over bodyLimit with 413', async () => {
    const response = await mcpHandler(hello, { bodyLimit: 64 })(post(initialize))
    await response.arrayBuffer()
    expect(response.status).toBe(413)
  })

  it('answers a foreign Origin with 403 before reading the body', async () => {
    const response = await mcpHandler(hello)(post(initialize, { origin: 'https://evil.example.com' }))
    await response.arrayBuffer()
    expect(response.status).toBe(403)
  })
})
