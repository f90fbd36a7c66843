/**
 * A streaming operation that fails before its first item answers like any other failure (the
 * table's status, `application/problem+json`) on a real socket and through Lambda events, and
 * one that fails later still ends its stream with a problem line.
 */
import { app, NotFound, op, PermissionDenied } from 'manifold'
import { type ServeHandle, serve } from 'manifold/http'
import { lambda } from 'manifold/lambda'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as z from 'zod'

const feed = op({
  name: 'feed',
  input: z.object({ who: z.string(), n: z.number().int().default(2), failAt: z.number().int().optional() }),
  http: { method: 'POST', path: '/feed' },
  async *handler({ who, n, failAt }) {
    if (who === 'eve') throw new PermissionDenied('Eve may not read the feed')
    if (who === 'nobody') throw new NotFound('No feed for "nobody"')
    for (let i = 0; i < n; i++) {
      if (i === failAt) throw new PermissionDenied(`Failed at ${i}`)
      yield { i }
    }
  },
})
const feeds = app({
  name: 'feeds',
  version: '1.0.0',
  operations: [feed],
})

let server: ServeHandle
beforeAll(async () => {
  server = await serve(feeds, { port: 0, print: false, signals: false, accessLog: false })
})
afterAll(async () => {
  await server.close()
})

const post = async (body: unknown, accept?: string) => {
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  if (accept !== undefined) headers.accept = accept
  const r = await fetch(`${server.url}/feed`, { method: 'POST', headers, body: JSON.stringify(body) })
  return { status: r.status, type: r.headers.get('content-type'), text: await r.text() }
}

const early = [
  { name: 'a refused permission', input: { who: 'eve' }, status: 403, code: 'permission_denied' },
  { name: 'a missing record', input: { who: 'nobody' }, status: 404, code: 'not_found' },
  { name: 'an invalid input', input: { who: 1 }, status: 400, code: 'invalid_input' },
]

describe('a stream that fails before its first item', () => {
  for (const accept of [undefined, 'text/event-stream']) {
    for (const c of early) {
      it(`serve() answers ${c.name} with ${c.status} problem+json (accept ${accept ?? 'none'})`, async () => {
        const r = await post(c.input, accept)
        expect(r.status).toBe(c.status)
        expect(r.type).toBe('application/problem+json')
        expect(JSON.parse(r.text)).toMatchObject({ code: c.code, status: c.status })
      })
    }
  }

  const http = lambda(feeds)
  const v2 = (body: unknown) => ({
    version: '2.0',
    rawPath: '/feed',
    rawQueryString: '',
    headers: { 'content-type': 'application/json' },
    requestContext: {
      http: { method: 'POST', path: '/feed' },
      domainName: 'abc.lambda-url.us-east-1.on.aws',
    },
    body: JSON.stringify(body),
    isBase64Encoded: false,
  })
  const context = { awsRequestId: 'req-1', getRemainingTimeInMillis: () => 30_000 }

  for (const c of early) {
    it(`lambda() answers ${c.name} on a Function URL event with ${c.status} problem+json`, async () => {
      const r = (await http(v2(c.input), context)) as {
        statusCode: number
        headers: Record<string, string>
        body: string
      }
      expect(r.statusCode).toBe(c.status)
      expect(r.headers['content-type']).toBe('application/problem+json')
      expect(JSON.parse(r.body)).toMatchObject({ code: c.code, status: c.status, requestId: 'req-1' })
    })
  }

  it('lambda() with response streaming answers a refused permission with a 403 prelude', async () => {
    // AWS's `awslambda` global exists only in the Lambda runtime: this stand-in records what
    // the handler writes, the way `HttpResponseStream.from` frames it.
    const written: { prelude?: Record<string, unknown>; chunks: string[] } = { chunks: [] }
    const stream = { write: (c: string | Uint8Array) => written.chunks.push(String(c)), end: () => undefined }
    const globals = globalThis as { awslambda?: unknown }
    globals.awslambda = {
      streamifyResponse:
        (h: (e: unknown, s: typeof stream, c: unknown) => Promise<void>) => (e: unknown, c: unknown) =>
          h(e, stream, c),
      HttpResponseStream: {
        from: (s: typeof stream, prelude: Record<string, unknown>) => {
          written.prelude = prelude
          return s
        },
      },
    }
    try {
      const streaming = lambda(feeds, { stream: true })
      await streaming(v2({ who: 'eve' }), context)
      expect(written.prelude).toMatchObject({
        statusCode: 403,
        headers: { 'content-type': 'application/problem+json' },
      })
      expect(JSON.parse(written.chunks.join(''))).toMatchObject({ code: 'permission_denied' })
      written.chunks.length = 0
      await streaming(v2({ who: 'ada', n: 2 }), context)
      expect(written.prelude).toMatchObject({ statusCode: 200 })
      expect(written.chunks.join('')).toBe('{"i":0}\n{"i":1}\n')
    } finally {
      delete globals.awslambda
    }
  })
})

describe('a stream that fails after its first item', () => {
  it('serve() sends 200 NDJSON ending with one problem line', async () => {
    const r = await post({ who: 'ada', n: 3, failAt: 1 })
    expect(r.status).toBe(200)
    expect(r.type).toBe('application/x-ndjson; charset=utf-8')
    const [first, last, ...rest] = r.text.split('\n')
    expect(first).toBe('{"i":0}')
    expect(JSON.parse(last ?? '')).toMatchObject({ code: 'permission_denied', detail: 'Failed at 1' })
    expect(rest).toEqual([''])
  })

  it('serve() sends 200 SSE ending with an error event', async () => {
    const r = await post({ who: 'ada', n: 3, failAt: 1 }, 'text/event-stream')
    expect(r.status).toBe(200)
    expect(r.text).toMatch(
      /^event: item\ndata: \{"i":0\}\n\nevent: error\ndata: \{.*"code":"permission_denied"/,
    )
  })

  it('serve() streams an empty stream as an empty 200 body', async () => {
    const r = await post({ who: 'ada', n: 0 })
    expect(r.status).toBe(200)
    expect(r.text).toBe('')
  })
})
