import { app, op } from 'manifold'
import { createHandler, type HttpRequest } from 'manifold/http'
import { describe, expect, it } from 'vitest'
import * as z from 'zod'
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
  it('createHandler() tells apart literal paths of the same length, and misses one of another length', async () => {
    const named = (name: string) => op({ name, readOnly: true, handler: () => ({ name }) })
    const handle = createHandler(
      app({ name: 't', version: '1.0.0', operations: [named('abc'), named('abd'), named('x')] }),
      { accessLog: false },
    )
    for (const name of ['abc', 'abd', 'x']) {
      const res = await handle(request({ path: `/${name}` }))
      expect(res.body).toBe(`{"name":"${name}"}\n`)
    }
    expect((await handle(request({ path: '/abe' }))).status).toBe(404)
    expect((await handle(request({ path: '/abcd' }))).status).toBe(404)
    expect((await handle(request({ path: '/ABC' }))).status).toBe(404)
  })

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

describe('createHandler() query and path coercion', () => {
  /** A zod schema whose JSON Schema derivations are counted. */
  function counted<S extends z.ZodType>(schema: S): { schema: S; derived: () => number } {
    let n = 0
    const props = schema['~standard'] as unknown as {
      jsonSchema: { input: (o: unknown) => unknown; output: (o: unknown) => unknown }
    }
    const wrapped = {
      '~standard': {
        ...props,
        jsonSchema: {
          input: (o: unknown) => {
            n++
            return props.jsonSchema.input(o)
          },
          output: props.jsonSchema.output,
        },
      },
    } as unknown as S
    return { schema: wrapped, derived: () => n }
  }

  /** A handler of one read-only operation that answers with its input, as JSON. */
  function echoing(input: z.ZodType, path?: string): (req: Partial<HttpRequest>) => Promise<unknown> {
    const echo = op({
      name: 'echo',
      input,
      readOnly: true,
      ...(path === undefined ? {} : { http: { method: 'GET' as const, path } }),
      handler: (i) => i,
    })
    const handle = createHandler(app({ name: 'e', version: '1', operations: [echo] }), { accessLog: false })
    return async (req) => {
      const res = await handle(request({ path: '/echo', ...req }))
      return res.status === 200 ? JSON.parse(res.body as string) : res
    }
  }

  it('createHandler() never derives the JSON Schema of an input whose query and path values are strings', async () => {
    const { schema, derived } = counted(z.object({ name: z.string().min(1), q: z.string().optional() }))
    const call = echoing(schema, '/hello/{name}')
    for (let i = 0; i < 3; i++) {
      expect(await call({ path: '/hello/Ada', query: 'q=x%20y' })).toEqual({ name: 'Ada', q: 'x y' })
    }
    expect(derived()).toBe(0)
  })

  it('createHandler() coerces a number path parameter and query values from the first call on', async () => {
    const { schema, derived } = counted(
      z.object({ id: z.number().int(), flag: z.boolean().optional(), tags: z.array(z.string()).optional() }),
    )
    const call = echoing(schema, '/items/{id}')
    expect(await call({ path: '/items/42', query: 'flag&tags=a' })).toEqual({
      id: 42,
      flag: true,
      tags: ['a'],
    })
    expect(await call({ path: '/items/7', query: 'tags=a&tags=b' })).toEqual({ id: 7, tags: ['a', 'b'] })
    const bad = (await call({ path: '/items/x' })) as { status: number; body: string }
    expect(bad.status).toBe(400)
    expect(JSON.parse(bad.body).errors[0].path).toBe('id')
    expect(derived()).toBe(1)
  })

  it('createHandler() names only the failing field when a repeated query key made it coerce at once', async () => {
    const call = echoing(z.object({ id: z.number(), tags: z.array(z.string()) }), '/items/{id}')
    const bad = (await call({ path: '/items/x', query: 'tags=a&tags=b' })) as { status: number; body: string }
    expect(bad.status).toBe(400)
    expect(JSON.parse(bad.body).errors.map((e: { path: string }) => e.path)).toEqual(['id'])
    expect(await call({ path: '/items/3', query: 'tags=a&tags=b' })).toEqual({ id: 3, tags: ['a', 'b'] })
  })

  it('createHandler() coerces the path parameters beside a JSON body, never the body', async () => {
    const put = op({
      name: 'put',
      input: z.object({ id: z.number(), count: z.number() }),
      http: { method: 'POST', path: '/items/{id}' },
      handler: (i) => i,
    })
    const handle = createHandler(app({ name: 'p', version: '1', operations: [put] }), { accessLog: false })
    const send = (body: string) =>
      handle(
        request({ method: 'POST', path: '/items/7', headers: { 'content-type': 'application/json' }, body }),
      )
    // First: the call that fails as strings is the one that coerces.
    const bad = await send('{"count":"2"}')
    expect(bad.status).toBe(400)
    expect(JSON.parse(bad.body as string).errors.map((e: { path: string }) => e.path)).toEqual(['count'])
    const ok = await send('{"count":2}')
    expect(JSON.parse(ok.body as string)).toEqual({ id: 7, count: 2 })
  })

  it('createHandler() keeps every value of a repeated query key for a field that takes a string or an array', async () => {
    const call = echoing(z.object({ tag: z.union([z.string(), z.array(z.string())]) }))
    expect(await call({ query: 'tag=a&tag=b' })).toEqual({ tag: ['a', 'b'] })
  })

  it('createHandler() reads one query value the same before and after a call made it derive the schema types', async () => {
    const call = echoing(
      z.object({ tag: z.union([z.string(), z.array(z.string())]), limit: z.number().optional() }),
    )
    expect(await call({ query: 'tag=a' })).toEqual({ tag: 'a' })
    // `limit` fails as a string, so this call derives the types to coerce it.
    expect(await call({ query: 'tag=a&limit=2' })).toEqual({ tag: 'a', limit: 2 })
    expect(await call({ query: 'tag=a' })).toEqual({ tag: 'a' })
  })
})
