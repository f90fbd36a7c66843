import { Agent, request as httpRequest } from 'node:http'
import { connect } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { call, post, raw, type Started, startFixture, statusOf } from '../../../../test/http/helpers.ts'
import { app, op } from '../index.ts'
import { serve } from './serve.ts'

let server: Started

beforeAll(async () => {
  server = await startFixture({ cors: { origin: ['https://app.example'] }, headersTimeout: 400 })
})
afterAll(async () => {
  await server.close()
})

const problem = (code: string, status: number) =>
  expect.objectContaining({ code, status, type: `https://manifold.dev/errors#${code}` })

describe('serve() routing', () => {
  const cases: {
    name: string
    method?: string
    path: string
    body?: unknown
    status: number
    json?: unknown
  }[] = [
    {
      name: 'a GET with a path parameter',
      path: '/notes/1',
      status: 200,
      json: { id: '1', title: 'First', tags: ['a'] },
    },
    { name: 'an unknown id as not_found', path: '/notes/404', status: 404, json: problem('not_found', 404) },
    {
      name: 'http.status 201 for creation',
      method: 'POST',
      path: '/notes',
      body: { title: 'x' },
      status: 201,
      json: expect.objectContaining({ title: 'x', tags: [] }),
    },
    { name: 'a DELETE that returns nothing as 204', method: 'DELETE', path: '/notes/1', status: 204 },
    {
      name: 'the default POST route of a dotted name',
      method: 'POST',
      path: '/notes/search',
      body: { q: 'a', limit: 2 },
      status: 200,
      json: { q: 'a', limit: 2 },
    },
    {
      name: 'the default GET route of a readOnly operation',
      path: '/ping',
      status: 200,
      json: { pong: true },
    },
    {
      name: 'a POST without a body for an operation without input',
      method: 'POST',
      path: '/ping',
      status: 200,
      json: { pong: true },
    },
    { name: 'an operation returning undefined as 204', method: 'POST', path: '/noop', body: {}, status: 204 },
    {
      name: 'an integer path parameter coerced by the schema',
      path: '/books/b1/pages/7',
      status: 200,
      json: { book: 'b1', n: 7, type: 'number' },
    },
    {
      name: 'a path parameter of the wrong type as invalid_input',
      path: '/books/b1/pages/seven',
      status: 400,
      json: problem('invalid_input', 400),
    },
    {
      name: 'a percent-encoded path parameter decoded',
      path: '/books/a%20b/pages/1',
      status: 200,
      json: { book: 'a b', n: 1, type: 'number' },
    },
    { name: 'a trailing slash', path: '/notes/1/', status: 200, json: expect.objectContaining({ id: '1' }) },
    { name: 'an unknown route', path: '/nope', status: 404, json: problem('not_found', 404) },
    { name: 'the health check', path: '/healthz', status: 200, json: { status: 'ok' } },
  ]
  it.each(cases)('serve() answers $name', async ({ method, path, body, status, json }) => {
    const r =
      body === undefined
        ? await call(server.url, path, { method: method ?? 'GET' })
        : await post(server.url, path, body)
    if (method !== undefined && body !== undefined) expect(method).toBe('POST')
    expect(r.status).toBe(status)
    if (json !== undefined) expect(r.json).toEqual(json)
    if (status === 204) expect(r.text).toBe('')
  })

  it.each(['/healthz', '/openapi.json', '/docs'])(
    'serve() answers a wrong method on the built-in %s with 405 and Allow',
    async (path) => {
      const r = await call(server.url, path, { method: 'DELETE' })
      expect(r.status).toBe(405)
      expect(r.headers.get('allow')).toBe('GET, HEAD')
      expect(r.headers.get('content-type')).toBe('application/problem+json')
      expect(r.json).toMatchObject({ status: 405, detail: `Method DELETE is not allowed on ${path}` })
    },
  )

  it('serve() sends exactly toJson(value): compact JSON and one newline', async () => {
    const r = await call(server.url, '/notes/1')
    expect(r.text).toBe('{"id":"1","title":"First","tags":["a"]}\n')
    expect(r.headers.get('content-type')).toBe('application/json; charset=utf-8')
  })

  it('serve() coerces query strings by the input schema on a readOnly GET', async () => {
    const r = await call(
      server.url,
      '/notes/search?q=hi&limit=5&ratio=0.5&done=false&tags=a&tags=b&pages=1&pages=2',
    )
    expect(r.json).toEqual({ q: 'hi', limit: 5, ratio: 0.5, done: false, tags: ['a', 'b'], pages: [1, 2] })
    const one = await call(server.url, '/notes/search?q=1&tags=only&done')
    expect(one.json).toEqual({ q: '1', tags: ['only'], done: true })
  })

  it('serve() lists every failing field of an invalid input', async () => {
    const r = await post(server.url, '/strict', { name: 'a', age: -1, email: 'nope' })
    expect(r.status).toBe(400)
    expect(r.headers.get('content-type')).toBe('application/problem+json')
    const paths = (r.json as { errors: { path: string }[] }).errors.map((e) => e.path).sort()
    expect(paths).toEqual(['age', 'email', 'name'])
  })

  it('serve() answers HEAD like GET without a body', async () => {
    const r = await call(server.url, '/notes/1', { method: 'HEAD' })
    expect(r.status).toBe(200)
    expect(r.text).toBe('')
    expect(r.headers.get('content-type')).toBe('application/json; charset=utf-8')
    expect(Number(r.headers.get('content-length'))).toBeGreaterThan(0)
  })

  it('serve() answers a wrong method with 405 and Allow', async () => {
    const r = await call(server.url, '/notes/1', {
      method: 'PUT',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    })
    expect(r.status).toBe(405)
    expect(r.headers.get('allow')).toBe('GET, DELETE, HEAD, OPTIONS')
    expect(r.json).toEqual(expect.objectContaining({ status: 405, code: 'usage' }))
  })

  it('serve() answers OPTIONS without CORS with 204 and Allow', async () => {
    const r = await call(server.url, '/notes', { method: 'OPTIONS' })
    expect(r.status).toBe(204)
    expect(r.headers.get('allow')).toBe('POST, OPTIONS')
  })

  it('serve() hides the cause and stack of an unexpected failure', async () => {
    const r = await post(server.url, '/boom', {})
    expect(r.status).toBe(500)
    expect(r.json).toEqual(problem('internal', 500))
    expect(r.text).not.toMatch(/hunter2|deep secret|stack|at /)
  })
})

describe('serve() request ids and access log', () => {
  it('serve() echoes a valid x-request-id into the header and the problem', async () => {
    const r = await call(server.url, '/notes/404', { headers: { 'x-request-id': 'abc-123' } })
    expect(r.headers.get('x-request-id')).toBe('abc-123')
    expect(r.json).toEqual(expect.objectContaining({ requestId: 'abc-123' }))
  })

  it('serve() generates a request id when none or a bad one is sent', async () => {
    const a = await call(server.url, '/ping')
    const b = await call(server.url, '/ping', { headers: { 'x-request-id': 'bad id with spaces' } })
    const generated = /^[0-9a-f]{16}-[0-9a-z]+$/
    expect(a.headers.get('x-request-id')).toMatch(generated)
    expect(b.headers.get('x-request-id')).toMatch(generated)
    expect(a.headers.get('x-request-id')).not.toBe(b.headers.get('x-request-id'))
  })

  it('serve() writes one access-log entry per request', async () => {
    const before = server.logs.length
    await call(server.url, '/notes/1', { headers: { 'x-request-id': 'log-me' } })
    await call(server.url, '/nope')
    const entries = server.logs.slice(before)
    expect(entries).toHaveLength(2)
    expect(entries[0]).toEqual(
      expect.objectContaining({
        method: 'GET',
        path: '/notes/1',
        status: 200,
        requestId: 'log-me',
        op: 'notes.get',
      }),
    )
    expect(entries[0]?.ms).toBeTypeOf('number')
    expect(entries[1]).toEqual(expect.objectContaining({ path: '/nope', status: 404 }))
  })
})

describe('serve() auth', () => {
  const cases = [
    { name: 'no credentials', headers: {}, status: 401, json: problem('unauthenticated', 401) },
    {
      name: 'a good bearer token',
      headers: { authorization: 'Bearer good' },
      status: 200,
      json: { principal: { user: 'ada' } },
    },
    {
      name: 'a lower-case bearer scheme',
      headers: { authorization: 'bearer good' },
      status: 200,
      json: { principal: { user: 'ada' } },
    },
    {
      name: 'an API key',
      headers: { 'x-api-key': 'key' },
      status: 200,
      json: { principal: { user: 'bot' } },
    },
    {
      name: 'a bad token',
      headers: { authorization: 'Bearer bad' },
      status: 401,
      json: expect.objectContaining({ code: 'unauthenticated', hint: 'Log in again' }),
    },
  ]
  it.each(cases)(
    'serve() answers an operation that needs auth given $name',
    async ({ headers, status, json }) => {
      const r = await call(server.url, '/whoami', { headers })
      expect(r.status).toBe(status)
      expect(r.json).toEqual(json)
    },
  )
})

describe('serve() CORS', () => {
  it('serve() answers a preflight from an allowed origin', async () => {
    const r = await call(server.url, '/notes', {
      method: 'OPTIONS',
      headers: {
        origin: 'https://app.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type, authorization',
      },
    })
    expect(r.status).toBe(204)
    expect(r.headers.get('access-control-allow-origin')).toBe('https://app.example')
    expect(r.headers.get('access-control-allow-methods')).toBe('POST, OPTIONS')
    expect(r.headers.get('access-control-allow-headers')).toBe('content-type, authorization')
    expect(r.headers.get('vary')).toBe('Origin')
  })

  it('serve() adds CORS headers to an actual request from an allowed origin only', async () => {
    const ok = await call(server.url, '/notes/1', { headers: { origin: 'https://app.example' } })
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://app.example')
    expect(ok.headers.get('access-control-expose-headers')).toContain('x-request-id')
    const denied = await call(server.url, '/notes/1', { headers: { origin: 'https://evil.example' } })
    expect(denied.status).toBe(200)
    expect(denied.headers.get('access-control-allow-origin')).toBeNull()
  })
})

describe('serve() streaming', () => {
  it('serve() streams an AsyncIterable as NDJSON', async () => {
    const r = await post(server.url, '/tick', { n: 3 })
    expect(r.status).toBe(200)
    expect(r.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8')
    expect(r.text).toBe('{"i":0}\n{"i":1}\n{"i":2}\n')
  })

  it('serve() ends a failing NDJSON stream with one problem line', async () => {
    const r = await post(server.url, '/tick', { n: 5, failAt: 2 })
    const lines = r.text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    expect(lines).toEqual([
      { i: 0 },
      { i: 1 },
      expect.objectContaining({ code: 'invalid_input', detail: 'Failed at 2' }),
    ])
  })

  it('serve() sends server-sent events when the client asks', async () => {
    const r = await post(server.url, '/tick', { n: 2 }, { accept: 'text/event-stream' })
    expect(r.headers.get('content-type')).toBe('text/event-stream; charset=utf-8')
    expect(r.text).toBe(
      'event: item\ndata: {"i":0}\n\nevent: item\ndata: {"i":1}\n\nevent: end\ndata: {}\n\n',
    )
  })

  it('serve() sends progress events over SSE before the result', async () => {
    const r = await post(server.url, '/work', { steps: 3 }, { accept: 'text/event-stream' })
    const events = r.text
      .trim()
      .split('\n\n')
      .map((block) => block.split('\n')[0])
    expect(events).toEqual([
      'event: progress',
      'event: progress',
      'event: progress',
      'event: result',
      'event: end',
    ])
    expect(r.text).toContain('data: {"done":2,"total":3,"message":"step 2"}')
    expect(r.text).toContain('event: result\ndata: {"steps":3}')
  })

  it('serve() answers an SSE call that fails before any event with problem+json', async () => {
    const r = await post(server.url, '/strict', {}, { accept: 'text/event-stream' })
    expect(r.status).toBe(400)
    expect(r.headers.get('content-type')).toBe('application/problem+json')
    expect(r.json).toEqual(problem('invalid_input', 400))
  })
})

/** Writes a request in pieces, `gapMs` apart, and collects the answer until the server closes. */
function rawInPieces(port: number, pieces: readonly string[], gapMs: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    const chunks: Buffer[] = []
    const finish = (): void => resolve(Buffer.concat(chunks).toString())
    socket.on('data', (chunk) => chunks.push(chunk))
    socket.on('close', finish)
    socket.on('error', finish)
    let i = 0
    const next = (): void => {
      const piece = pieces[i++]
      if (piece === undefined) return
      socket.write(piece)
      setTimeout(next, gapMs)
    }
    next()
  })
}

describe('serve() request bodies', () => {
  const json = JSON.stringify({ text: 'z'.repeat(100) })
  const head = (framing: string) =>
    `POST /echo HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\nconnection: close\r\n${framing}\r\n\r\n`
  const echoed = `{"received":${json},"keys":["text"]`
  const cases: { name: string; pieces: string[]; answer: string }[] = [
    {
      name: 'a body that arrives in pieces after the head',
      pieces: [head(`content-length: ${json.length}`), json.slice(0, 40), json.slice(40)],
      answer: echoed,
    },
    {
      name: 'a chunked body sent with the head',
      pieces: [`${head('transfer-encoding: chunked')}${json.length.toString(16)}\r\n${json}\r\n0\r\n\r\n`],
      answer: echoed,
    },
    {
      name: 'a chunked body that arrives chunk by chunk',
      pieces: [
        head('transfer-encoding: chunked'),
        `28\r\n${json.slice(0, 40)}\r\n`,
        `${(json.length - 40).toString(16)}\r\n${json.slice(40)}\r\n`,
        '0\r\n\r\n',
      ],
      answer: echoed,
    },
    {
      name: 'an empty chunked body as no input',
      pieces: [`${head('transfer-encoding: chunked')}0\r\n\r\n`],
      answer: '{"received":{},"keys":[]',
    },
  ]
  it.each(cases)('serve() reads $name', async ({ pieces, answer }) => {
    const out = await rawInPieces(server.port, pieces, 30)
    expect(statusOf(out)).toBe(200)
    expect(out).toContain(answer)
  })

  it('serve() answers two requests pipelined in one packet, in order', async () => {
    const one = `POST /echo HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 7\r\n\r\n{"n":1}`
    const out = await rawInPieces(server.port, [`${one}${head('content-length: 7')}{"n":2}`], 30)
    expect(out.match(/HTTP\/1\.1 200/g)).toHaveLength(2)
    expect(out.indexOf('{"received":{"n":1}')).toBeLessThan(out.indexOf('{"received":{"n":2}'))
  })

  it('serve() refuses a chunked body that passes the limit in a later chunk with 413', async () => {
    const small = await startFixture({ bodyLimit: 64 })
    try {
      const out = await rawInPieces(
        small.port,
        [
          head('transfer-encoding: chunked'),
          `28\r\n${json.slice(0, 40)}\r\n`,
          `28\r\n${json.slice(40, 80)}\r\n`,
        ],
        30,
      )
      expect(statusOf(out)).toBe(413)
      expect(out).toContain('"code":"payload_too_large"')
    } finally {
      await small.close()
    }
  })
})

describe('serve() limits', () => {
  it('serve() refuses a declared body over the limit with 413', async () => {
    const small = await startFixture({ bodyLimit: 64 })
    try {
      const r = await post(small.url, '/echo', { text: 'x'.repeat(200) })
      expect(r.status).toBe(413)
      expect(r.json).toEqual(problem('payload_too_large', 413))
      const ok = await post(small.url, '/echo', { a: 1 })
      expect(ok.status).toBe(200)
    } finally {
      await small.close()
    }
  })

  it('serve() refuses a declared length over the limit before the body arrives, at every width', async () => {
    const small = await startFixture({ bodyLimit: 64 })
    try {
      for (const length of ['65', '100', '99999999999']) {
        const started = Date.now()
        const out = await raw(
          small.port,
          `POST /echo HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: ${length}\r\n\r\n`,
          2000,
        )
        expect(statusOf(out)).toBe(413)
        expect(out).toContain('"code":"payload_too_large"')
        expect(Date.now() - started).toBeLessThan(1500)
      }
      const ok = await post(small.url, '/echo', { a: 'x'.repeat(40) })
      expect(ok.status).toBe(200)
    } finally {
      await small.close()
    }
  })

  it('serve() refuses a chunked body that grows over the limit with 413', async () => {
    const small = await startFixture({ bodyLimit: 64 })
    try {
      const body = JSON.stringify({ text: 'y'.repeat(500) })
      const chunked = `${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`
      const out = await raw(
        small.port,
        `POST /echo HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n${chunked}`,
      )
      expect(statusOf(out)).toBe(413)
      expect(out).toContain('"code":"payload_too_large"')
    } finally {
      await small.close()
    }
  })

  it('serve() answers slow request headers with 408 and keeps serving', async () => {
    const out = await raw(server.port, 'GET /notes/1 HTTP/1.1\r\nhost: x\r\n', 3000)
    expect(statusOf(out)).toBe(408)
    expect((await call(server.url, '/healthz')).status).toBe(200)
  })

  it('serve() keeps connections alive between requests', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 })
    const get = () =>
      new Promise<boolean>((resolve, reject) => {
        const req = httpRequest(`${server.url}/ping`, { agent }, (res) => {
          res.resume()
          res.on('end', () => resolve(req.reusedSocket))
        })
        req.on('error', reject)
        req.end()
      })
    try {
      expect(await get()).toBe(false)
      expect(await get()).toBe(true)
    } finally {
      agent.destroy()
    }
  })

  it('serve() cancels the call when the client goes away', async () => {
    const before = server.logs.length
    await fetch(`${server.url}/slow`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'gone-away' },
      body: '{"ms":5000}',
      signal: AbortSignal.timeout(150),
    }).catch(() => undefined)
    await expect
      .poll(() => server.logs.slice(before).find((e) => e.requestId === 'gone-away')?.status, {
        timeout: 3000,
      })
      .toBe(499)
  })

  /** Sends one request on the agent; resolves with the status, or undefined when destroyed after `cutMs`. */
  const send = (agent: Agent, path: string, body: string, id: string, cutMs?: number) =>
    new Promise<number | undefined>((resolve, reject) => {
      const req = httpRequest(
        `${server.url}${path}`,
        {
          agent,
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-request-id': id },
        },
        (res) => {
          res.resume()
          res.on('end', () => resolve(res.statusCode))
        },
      )
      req.on('error', (error) => (cutMs === undefined ? reject(error) : resolve(undefined)))
      req.end(body)
      if (cutMs !== undefined) setTimeout(() => req.destroy(), cutMs)
    })

  it('serve() cancels the call when the client goes away after many calls on one connection', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 })
    try {
      for (let i = 0; i < 20; i++) expect(await send(agent, '/ping', '', `warm-${i}`)).toBe(200)
      await send(agent, '/slow', '{"ms":5000}', 'gone-later', 150)
      await expect
        .poll(() => server.logs.find((e) => e.requestId === 'gone-later')?.status, { timeout: 3000 })
        .toBe(499)
    } finally {
      agent.destroy()
    }
  })

  it('serve() keeps a handler that adds an abort listener per call under the leak warning', async () => {
    const warnings: Error[] = []
    const onWarning = (warning: Error) => warnings.push(warning)
    process.on('warning', onWarning)
    const agent = new Agent({ keepAlive: true, maxSockets: 1 })
    try {
      for (let i = 0; i < 40; i++) expect(await send(agent, '/slow', '{"ms":0}', `listen-${i}`)).toBe(200)
      await new Promise((resolve) => setTimeout(resolve, 50))
      expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([])
    } finally {
      process.off('warning', onWarning)
      agent.destroy()
    }
  })

  it('serve() gives a connection a new signal at least every 64 calls, listened to or not', async () => {
    // AbortSignal.any() leaves a record on its source signals that Node frees only with them.
    const seen = new Set<AbortSignal>()
    const signals = op({
      name: 'signals',
      handler: (_input, ctx) => {
        seen.add(ctx.signal)
        return { distinct: seen.size }
      },
    })
    const handle = await serve(app({ name: 'signals', version: '1.0.0', operations: [signals] }), {
      port: 0,
      print: false,
      signals: false,
      accessLog: false,
    })
    const agent = new Agent({ keepAlive: true, maxSockets: 1 })
    try {
      for (let i = 0; i < 130; i++) {
        const status = await new Promise<number | undefined>((resolve, reject) => {
          const req = httpRequest(`${handle.url}/signals`, { agent, method: 'POST' }, (res) => {
            res.resume()
            res.on('end', () => resolve(res.statusCode))
          })
          req.on('error', reject)
          req.end()
        })
        expect(status).toBe(200)
      }
      expect(seen.size).toBe(3)
    } finally {
      agent.destroy()
      await handle.close()
    }
  })

  it('serve() gives a call whose handler reads ctx.signal only after the client left an aborted signal', async () => {
    let resolveSeen: (seen: { aborted: boolean; code: unknown }) => void = () => {}
    const seen = new Promise<{ aborted: boolean; code: unknown }>((resolve) => (resolveSeen = resolve))
    const late = op({
      name: 'late',
      handler: async (_input, ctx) => {
        await new Promise((resolve) => setTimeout(resolve, 300))
        resolveSeen({ aborted: ctx.signal.aborted, code: (ctx.signal.reason as { code?: unknown }).code })
        return {}
      },
    })
    const handle = await serve(app({ name: 'late', version: '1.0.0', operations: [late] }), {
      port: 0,
      print: false,
      signals: false,
      accessLog: false,
    })
    try {
      await fetch(`${handle.url}/late`, { method: 'POST', signal: AbortSignal.timeout(100) }).catch(
        () => undefined,
      )
      expect(await seen).toEqual({ aborted: true, code: 'cancelled' })
    } finally {
      await handle.close()
    }
  })
})
