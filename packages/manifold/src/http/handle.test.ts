import { createHandler, type HttpRequest } from 'manifold/http'
import { describe, expect, it } from 'vitest'
import { fixture } from '../../../../test/http/fixture.ts'

const request = (over: Partial<HttpRequest> = {}): HttpRequest => ({
  method: 'GET',
  path: '/',
  query: '',
  headers: {},
  body: undefined,
  ...over,
})

describe('createHandler()', () => {
  it('createHandler() routes /mcp (every method) to the MCP handler as a WHATWG Request', async () => {
    const seen: { method: string; url: string; body: string }[] = []
    const handle = createHandler(fixture, {
      accessLog: false,
      mcp: async (req) => {
        seen.push({ method: req.method, url: req.url, body: await req.text() })
        return new Response('{"jsonrpc":"2.0"}', {
          status: 200,
          headers: { 'content-type': 'application/json' },
        })
      },
    })
    const res = await handle(
      request({
        method: 'POST',
        path: '/mcp',
        query: 'a=1',
        headers: { host: 'api.example', 'content-type': 'application/json' },
        body: '{"x":1}',
      }),
    )
    expect(res.status).toBe(200)
    expect(res.headers['content-type']).toBe('application/json')
    expect(seen).toEqual([{ method: 'POST', url: 'http://api.example/mcp?a=1', body: '{"x":1}' }])
    const chunks: string[] = []
    for await (const chunk of res.body as AsyncIterable<Uint8Array>)
      chunks.push(new TextDecoder().decode(chunk))
    expect(chunks.join('')).toBe('{"jsonrpc":"2.0"}')
    const get = await handle(request({ method: 'GET', path: '/mcp' }))
    expect(get.status).toBe(200)
  })

  it('createHandler() answers /mcp with 404 when MCP is not wired in', async () => {
    const res = await createHandler(fixture, { accessLog: false })(request({ method: 'POST', path: '/mcp' }))
    expect(res.status).toBe(404)
  })

  it('createHandler() serves every route under basePath and nothing outside it', async () => {
    const handle = createHandler(fixture, { accessLog: false, basePath: '/api/' })
    expect((await handle(request({ path: '/api/notes/1' }))).status).toBe(200)
    expect((await handle(request({ path: '/api/healthz' }))).status).toBe(200)
    expect((await handle(request({ path: '/notes/1' }))).status).toBe(404)
    expect((await handle(request({ path: '/apinotes/1' }))).status).toBe(404)
  })

  it('createHandler() passes upstream claims and headers to the auth hook', async () => {
    const handle = createHandler(fixture, { accessLog: false })
    const res = await handle(request({ path: '/whoami', claims: { sub: 'lambda-user' } }))
    expect(res.body).toBe('{"principal":{"user":"lambda-user"}}\n')
  })

  it('createHandler() uses the request id an adapter already has', async () => {
    const res = await createHandler(fixture, { accessLog: false })(
      request({ path: '/ping', requestId: 'aws-req-1' }),
    )
    expect(res.headers['x-request-id']).toBe('aws-req-1')
  })

  it('createHandler() reads a Uint8Array body and refuses one an adapter marked too large', async () => {
    const handle = createHandler(fixture, { accessLog: false })
    const body = new TextEncoder().encode('{"title":"bytes"}')
    const ok = await handle(
      request({ method: 'POST', path: '/notes', headers: { 'content-type': 'application/json' }, body }),
    )
    expect(ok.status).toBe(201)
    const big = await handle(request({ method: 'POST', path: '/notes', bodyTooLarge: 5_000_000 }))
    expect(big.status).toBe(413)
    expect(String(big.body)).toContain('Request body is 5000000 bytes; the limit is 1048576')
  })

  it('createHandler() answers an SSE request with plain JSON when no SSE responder is wired in', async () => {
    const res = await createHandler(fixture, { accessLog: false })(
      request({
        method: 'POST',
        path: '/work',
        headers: { accept: 'text/event-stream', 'content-type': 'application/json' },
        body: '{"steps":1}',
      }),
    )
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8')
    expect(res.body).toBe('{"steps":1}\n')
  })
})
