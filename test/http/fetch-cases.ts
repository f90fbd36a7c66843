/**
 * One table of behaviour every fetch-shaped host must show: run in process on Node and over
 * real sockets under Bun and Deno. The server behind it uses `bodyLimit: 4096`.
 */
export interface FetchReply {
  readonly status: number
  readonly headers: Headers
  readonly text: string
}

export type Send = (path: string, init?: RequestInit) => Promise<FetchReply>

export interface FetchCase {
  readonly name: string
  readonly path: string
  readonly init?: RequestInit
  readonly status: number
  readonly type?: string
  /** Exact body bytes, or a check on the text. */
  readonly body?: string | ((text: string) => boolean)
  readonly header?: readonly [string, string]
}

const json = { 'content-type': 'application/json' }
const postJson = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { ...json, ...headers },
  body: typeof body === 'string' ? body : JSON.stringify(body),
})
const problem = (code: string) => (text: string) => (JSON.parse(text) as { code?: string }).code === code

export const fetchCases: FetchCase[] = [
  {
    name: 'a GET with a path parameter',
    path: '/notes/1',
    status: 200,
    type: 'application/json; charset=utf-8',
    body: '{"id":"1","title":"First","tags":["a"]}\n',
  },
  {
    name: 'a not_found problem',
    path: '/notes/999',
    status: 404,
    type: 'application/problem+json',
    body: problem('not_found'),
  },
  {
    name: 'a created note',
    path: '/notes',
    init: postJson({ title: 'x' }),
    status: 201,
    body: (t) => (JSON.parse(t) as { title: string }).title === 'x',
  },
  { name: 'a 204 without a body', path: '/notes/1', init: { method: 'DELETE' }, status: 204, body: '' },
  {
    name: 'a coerced query',
    path: '/notes/search?q=a&limit=3&done=true&tags=x&tags=y',
    status: 200,
    body: '{"q":"a","limit":3,"done":true,"tags":["x","y"]}\n',
  },
  { name: 'HEAD without a body', path: '/notes/1', init: { method: 'HEAD' }, status: 200, body: '' },
  {
    name: 'a 405 with Allow',
    path: '/notes/1',
    init: { method: 'PUT' },
    status: 405,
    header: ['allow', 'GET, DELETE, HEAD, OPTIONS'],
    body: problem('usage'),
  },
  { name: 'an unknown route', path: '/nope', status: 404, body: problem('not_found') },
  {
    name: 'a body over the limit',
    path: '/echo',
    init: postJson({ a: 'x'.repeat(5000) }),
    status: 413,
    body: problem('payload_too_large'),
  },
  {
    name: 'a body that is not JSON',
    path: '/notes',
    init: { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' },
    status: 415,
    body: problem('unsupported_media_type'),
  },
  {
    name: 'malformed JSON',
    path: '/notes',
    init: postJson('{'),
    status: 400,
    body: problem('invalid_input'),
  },
  {
    name: 'a prototype pollution attempt',
    path: '/echo',
    init: postJson('{"__proto__":{"polluted":1}}'),
    status: 200,
    body: '{"received":{},"keys":[],"polluted":null}\n',
  },
  {
    name: 'an NDJSON stream',
    path: '/tick',
    init: postJson({ n: 3 }),
    status: 200,
    type: 'application/x-ndjson; charset=utf-8',
    body: '{"i":0}\n{"i":1}\n{"i":2}\n',
  },
  {
    name: 'progress over SSE',
    path: '/work',
    init: postJson({ steps: 2 }, { accept: 'text/event-stream' }),
    status: 200,
    type: 'text/event-stream; charset=utf-8',
    body: (t) => t.startsWith('event: progress\n') && t.includes('event: result\ndata: {"steps":2}'),
  },
  {
    name: 'a bearer token',
    path: '/whoami',
    init: { headers: { authorization: 'Bearer good' } },
    status: 200,
    body: '{"principal":{"user":"ada"}}\n',
  },
  { name: 'no credentials', path: '/whoami', status: 401, body: problem('unauthenticated') },
  {
    name: 'an unexpected failure without leaks',
    path: '/boom',
    init: { method: 'POST' },
    status: 500,
    body: (t) => problem('internal')(t) && !t.includes('hunter2'),
  },
  {
    name: 'an echoed request id',
    path: '/ping',
    init: { headers: { 'x-request-id': 'rid-1' } },
    status: 200,
    header: ['x-request-id', 'rid-1'],
  },
  { name: 'the health check', path: '/healthz', status: 200, body: '{"status":"ok"}\n' },
  {
    name: 'the OpenAPI document',
    path: '/openapi.json',
    status: 200,
    body: (t) => (JSON.parse(t) as { openapi: string }).openapi === '3.1.0',
  },
  { name: 'the docs page', path: '/docs', status: 200, type: 'text/html; charset=utf-8' },
]

/** Checks one reply against its case; returns a list of mismatches (empty when it passes). */
export function mismatches(c: FetchCase, reply: FetchReply): string[] {
  const out: string[] = []
  if (reply.status !== c.status) out.push(`status ${reply.status}, expected ${c.status}`)
  if (c.type !== undefined && reply.headers.get('content-type') !== c.type)
    out.push(`content-type "${reply.headers.get('content-type')}", expected "${c.type}"`)
  if (c.header !== undefined && reply.headers.get(c.header[0]) !== c.header[1])
    out.push(`${c.header[0]} "${reply.headers.get(c.header[0])}", expected "${c.header[1]}"`)
  if (typeof c.body === 'string' && reply.text !== c.body) out.push(`body ${JSON.stringify(reply.text)}`)
  if (typeof c.body === 'function' && !c.body(reply.text))
    out.push(`body ${JSON.stringify(reply.text.slice(0, 300))}`)
  return out
}
