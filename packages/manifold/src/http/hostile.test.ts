import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  call,
  post,
  type Reply,
  raw,
  type Started,
  startFixture,
  statusOf,
} from '../../../../test/http/helpers.ts'

let server: Started

beforeAll(async () => {
  server = await startFixture({ headersTimeout: 300, requestTimeout: 600 })
})
afterAll(async () => {
  await server.close()
})

const json = { 'content-type': 'application/json' }

interface Case {
  readonly name: string
  /** A fetch request, or raw bytes for what fetch refuses to send. */
  readonly send: (base: string, port: number) => Promise<Reply | string>
  readonly status: number
  /** The problem `code`, when the answer is an error. */
  readonly code?: string
  readonly check?: (body: unknown) => void
}

const body =
  (path: string, text: string, headers: Record<string, string> = json) =>
  (base: string) =>
    call(base, path, { method: 'POST', headers, body: text })
const get = (path: string) => (base: string) => call(base, path)
const rawReq = (text: string | Buffer, waitMs?: number) => (_base: string, port: number) =>
  raw(port, text, waitMs)
const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`
const nestedObject = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`

const cases: Case[] = [
  // Malformed JSON
  { name: 'an unterminated object', send: body('/notes', '{'), status: 400, code: 'invalid_input' },
  { name: 'a missing value', send: body('/notes', '{"title":}'), status: 400, code: 'invalid_input' },
  { name: 'a truncated literal', send: body('/notes', 'nul'), status: 400, code: 'invalid_input' },
  { name: 'single quotes', send: body('/notes', "{'title':'x'}"), status: 400, code: 'invalid_input' },
  { name: 'a trailing comma', send: body('/notes', '{"title":"x",}'), status: 400, code: 'invalid_input' },
  {
    name: 'a byte order mark before JSON',
    send: body('/notes', '\uFEFF{"title":"x"}'),
    status: 400,
    code: 'invalid_input',
  },
  { name: 'an array instead of an object', send: body('/notes', '[]'), status: 400, code: 'invalid_input' },
  {
    name: 'a string instead of an object',
    send: body('/notes', '"title"'),
    status: 400,
    code: 'invalid_input',
  },
  { name: 'null instead of an object', send: body('/notes', 'null'), status: 400, code: 'invalid_input' },
  { name: 'a number instead of an object', send: body('/notes', '123'), status: 400, code: 'invalid_input' },
  {
    name: 'an empty body where input is required',
    send: body('/notes', ''),
    status: 400,
    code: 'invalid_input',
  },
  // Wrong types
  {
    name: 'a number for a string field',
    send: body('/notes', '{"title":5}'),
    status: 400,
    code: 'invalid_input',
  },
  {
    name: 'a string for an array field',
    send: body('/notes', '{"title":"x","tags":"a"}'),
    status: 400,
    code: 'invalid_input',
  },
  {
    name: 'numbers in a string array',
    send: body('/notes', '{"title":"x","tags":[1,2]}'),
    status: 400,
    code: 'invalid_input',
  },
  {
    name: 'a fraction for an integer path parameter',
    send: get('/books/b/pages/1.5'),
    status: 400,
    code: 'invalid_input',
  },
  {
    name: 'a word for an integer query field',
    send: get('/notes/search?q=x&limit=abc'),
    status: 400,
    code: 'invalid_input',
  },
  {
    name: 'a query integer over its maximum',
    send: get('/notes/search?q=x&limit=1000'),
    status: 400,
    code: 'invalid_input',
  },
  { name: 'a missing required query field', send: get('/notes/search'), status: 400, code: 'invalid_input' },
  {
    name: 'a word for a boolean query field',
    send: get('/notes/search?q=x&done=maybe'),
    status: 400,
    code: 'invalid_input',
  },
  {
    name: 'Infinity for a number query field',
    send: get('/notes/search?q=x&ratio=Infinity'),
    status: 400,
    code: 'invalid_input',
  },
  // Size
  {
    name: 'a 2 MiB body',
    send: body('/echo', JSON.stringify({ a: 'x'.repeat(2 * 1024 * 1024) })),
    status: 413,
    code: 'payload_too_large',
  },
  {
    name: 'a long string within the limit',
    send: body('/notes', JSON.stringify({ title: 'x'.repeat(100_000) })),
    status: 201,
  },
  {
    name: 'a huge declared Content-Length',
    send: rawReq(
      'POST /echo HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 99999999999\r\n\r\n{}',
    ),
    status: 413,
    code: 'payload_too_large',
  },
  {
    name: '1000 unknown query fields',
    send: get(`/notes/search?q=x&${Array.from({ length: 1000 }, (_, i) => `f${i}=1`).join('&')}`),
    status: 200,
  },
  {
    name: 'request headers over 16 KiB',
    send: rawReq(`GET /ping HTTP/1.1\r\nhost: x\r\nx-big: ${'a'.repeat(20_000)}\r\n\r\n`),
    status: 431,
    code: 'payload_too_large',
  },
  // Deep nesting
  {
    name: 'arrays nested 10 000 deep',
    send: body('/echo', nested(10_000)),
    status: 400,
    code: 'invalid_input',
  },
  {
    name: 'objects nested 100 000 deep',
    send: body('/echo', nestedObject(100_000)),
    status: 400,
    code: 'invalid_input',
  },
  { name: 'objects nested 20 deep', send: body('/echo', nestedObject(20)), status: 200 },
  {
    name: 'brackets inside strings, which are not nesting',
    send: body('/echo', JSON.stringify({ s: '['.repeat(500), t: '"\\{'.repeat(100) })),
    status: 200,
  },
  // Odd unicode
  {
    name: 'emoji, right-to-left text and combining marks',
    send: body('/notes', JSON.stringify({ title: '👩‍💻 مرحبا é' })),
    status: 201,
    check: (b) => expect((b as { title: string }).title).toBe('👩‍💻 مرحبا é'),
  },
  { name: 'an escaped lone surrogate', send: body('/notes', '{"title":"\\ud800"}'), status: 201 },
  { name: 'a NUL character', send: body('/notes', '{"title":"a\\u0000b"}'), status: 201 },
  {
    name: 'invalid UTF-8 bytes',
    send: rawReq(
      Buffer.concat([
        Buffer.from(
          'POST /notes HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 14\r\n\r\n{"title":"',
        ),
        Buffer.from([0xff, 0xfe]),
        Buffer.from('"}'),
      ]),
    ),
    status: 201,
  },
  { name: 'a non-ASCII path parameter', send: get('/notes/%E2%9C%93'), status: 404, code: 'not_found' },
  {
    name: 'a broken percent-escape in the path',
    send: get('/books/%E0%A4%A/pages/1'),
    status: 400,
    code: 'usage',
  },
  {
    name: 'a broken percent-escape in the query',
    send: get('/notes/search?q=%ZZ'),
    status: 400,
    code: 'usage',
  },
  // Duplicates
  {
    name: 'duplicate JSON keys (the last wins)',
    send: body('/notes', '{"title":"a","title":"b"}'),
    status: 201,
    check: (b) => expect((b as { title: string }).title).toBe('b'),
  },
  {
    name: 'a duplicate scalar query field (the last wins)',
    send: get('/notes/search?q=a&q=b'),
    status: 200,
    check: (b) => expect(b).toEqual({ q: 'b' }),
  },
  // Prototype pollution
  {
    name: 'a __proto__ key in the body',
    send: body('/echo', '{"__proto__":{"polluted":1},"ok":1}'),
    status: 200,
    check: (b) => expect(b).toEqual({ received: { ok: 1 }, keys: ['ok'], polluted: null }),
  },
  {
    name: 'a constructor.prototype key in the body',
    send: body('/echo', '{"constructor":{"prototype":{"polluted":1}}}'),
    status: 200,
    check: (b) => expect(b).toEqual({ received: {}, keys: [], polluted: null }),
  },
  {
    name: 'a __proto__ key spelled with JSON escapes in the body',
    send: body('/echo', '{"\\u005f_proto__":{"polluted":1},"\\u0063onstructor":1,"ok":1}'),
    status: 200,
    check: (b) => expect(b).toEqual({ received: { ok: 1 }, keys: ['ok'], polluted: null }),
  },
  {
    name: 'a __proto__ key inside an array in the body',
    send: body('/echo', '{"list":[1,{"__proto__":{"polluted":1},"ok":1}],"ok":1}'),
    status: 200,
    check: (b) =>
      expect(b).toEqual({ received: { list: [1, { ok: 1 }], ok: 1 }, keys: ['list', 'ok'], polluted: null }),
  },
  {
    name: 'a __proto__ key in the query',
    send: get('/notes/search?q=x&__proto__=1&constructor=2'),
    status: 200,
    check: (b) => expect(b).toEqual({ q: 'x' }),
  },
  // Content types
  {
    name: 'a text/plain body',
    send: body('/notes', '{"title":"x"}', { 'content-type': 'text/plain' }),
    status: 415,
    code: 'unsupported_media_type',
  },
  {
    name: 'a form-encoded body',
    send: body('/notes', 'title=x', { 'content-type': 'application/x-www-form-urlencoded' }),
    status: 415,
    code: 'unsupported_media_type',
  },
  {
    name: 'a multipart body',
    send: body('/notes', '--b--', { 'content-type': 'multipart/form-data; boundary=b' }),
    status: 415,
    code: 'unsupported_media_type',
  },
  {
    name: 'a +json media type',
    send: body('/notes', '{"title":"x"}', { 'content-type': 'application/vnd.api+json' }),
    status: 201,
  },
  {
    name: 'JSON with a charset parameter',
    send: body('/notes', '{"title":"x"}', { 'content-type': 'Application/JSON; charset=utf-8' }),
    status: 201,
  },
  {
    name: 'a JSON body without a content type',
    send: rawReq(
      'POST /notes HTTP/1.1\r\nhost: x\r\ncontent-length: 13\r\nconnection: close\r\n\r\n{"title":"x"}',
    ),
    status: 201,
  },
  // Unknown routes
  {
    name: 'a dot-dot path',
    send: rawReq('GET /../../etc/passwd HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n'),
    status: 404,
    code: 'not_found',
  },
  { name: 'an extra path segment', send: get('/notes/1/extra'), status: 404, code: 'not_found' },
  { name: 'an empty path parameter', send: get('/books//pages/1'), status: 404, code: 'not_found' },
  { name: 'a double slash', send: get('//'), status: 404, code: 'not_found' },
  { name: 'a path in another case', send: get('/NOTES/1'), status: 404, code: 'not_found' },
  {
    name: 'an asterisk request target',
    send: rawReq('OPTIONS * HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n'),
    status: 404,
    code: 'not_found',
  },
  // Wrong methods
  {
    name: 'PATCH on a POST route',
    send: (b) => call(b, '/notes', { method: 'PATCH', headers: json, body: '{}' }),
    status: 405,
    code: 'usage',
  },
  { name: 'GET on a POST-only route', send: get('/notes'), status: 405, code: 'usage' },
  {
    name: 'DELETE on a readOnly route',
    send: (b) => call(b, '/ping', { method: 'DELETE' }),
    status: 405,
    code: 'usage',
  },
  {
    name: 'a method node:http does not know',
    send: rawReq('FOO /ping HTTP/1.1\r\nhost: x\r\n\r\n'),
    status: 400,
    code: 'usage',
  },
  // Framing and slow clients
  {
    name: 'both Content-Length and Transfer-Encoding',
    send: rawReq(
      'POST /echo HTTP/1.1\r\nhost: x\r\ncontent-length: 2\r\ntransfer-encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n',
    ),
    status: 400,
    code: 'usage',
  },
  {
    name: 'a header with a control character',
    send: rawReq('GET /ping HTTP/1.1\r\nhost: x\r\nx-bad: a\u0001b\r\n\r\n'),
    status: 400,
    code: 'usage',
  },
  {
    name: 'headers that never finish',
    send: rawReq('GET /ping HTTP/1.1\r\nhost: x\r\n', 3000),
    status: 408,
    code: 'timeout',
  },
  {
    name: 'a body that never finishes',
    send: rawReq(
      'POST /echo HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"a":',
      3000,
    ),
    status: 408,
    code: 'timeout',
  },
]

function parse(reply: Reply | string): { status: number; type: string | null; body: unknown } {
  if (typeof reply !== 'string')
    return { status: reply.status, type: reply.headers.get('content-type'), body: reply.json }
  const split = reply.indexOf('\r\n\r\n')
  const head = reply.slice(0, split)
  const type = /\r\ncontent-type: ([^\r]+)/i.exec(head)?.[1] ?? null
  let text = reply.slice(split + 4)
  if (/\r\ntransfer-encoding: chunked/i.test(head))
    text = text.replace(/^[0-9a-f]+\r\n/, '').replace(/\r\n0\r\n\r\n$/, '')
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    body = undefined
  }
  return { status: statusOf(reply), type, body }
}

describe('serve() under hostile input', () => {
  it('serve() has at least 40 hostile cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40)
  })

  it.each(cases)('serve() answers $name with $status', async ({ send, status, code, check }) => {
    const { status: got, type, body: parsed } = parse(await send(server.url, server.port))
    expect(got).toBe(status)
    if (code !== undefined) {
      expect(type).toBe('application/problem+json')
      expect(parsed).toEqual(expect.objectContaining({ code, status, detail: expect.any(String) }))
    }
    check?.(parsed)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('serve() keeps serving after every hostile case', async () => {
    const r = await call(server.url, '/healthz')
    expect(r.status).toBe(200)
    expect((await post(server.url, '/notes', { title: 'after' })).status).toBe(201)
  })
})
