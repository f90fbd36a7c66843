/** Random HTTP requests for the property tests: methods, paths, queries, headers, bodies, encodings. */
import fc from 'fast-check'

export interface RandomRequest {
  method: string
  path: string
  query: string
  headers: Record<string, string>
  body: string | Uint8Array | undefined
}

const segment = fc.oneof(
  fc.constantFrom(
    'echo',
    'items',
    '1',
    '42',
    '-1',
    'ten',
    'slow',
    'boom',
    'whoami',
    'count',
    'search',
    'healthz',
    'openapi.json',
    'docs',
    'mcp',
    '..',
    '.',
    '%2e%2e',
    '%',
    '%zz',
    '%00',
    '%E2%82%AC',
    '%C0%AF',
    '__proto__',
    'constructor',
    'prototype',
    '💥',
    ' ',
    '{id}',
    '',
  ),
  fc.string({ maxLength: 10 }).map(encodeURIComponent),
)
const routePaths = fc.constantFrom(
  '/echo',
  '/items/1',
  '/items/42',
  '/items/search',
  '/slow',
  '/boom',
  '/whoami',
  '/count',
  '/healthz',
  '/items/x',
  '/ECHO',
  '/echo/',
  '//echo',
  '/mcp',
)
export const path = fc.oneof(
  { weight: 3, arbitrary: routePaths },
  { weight: 2, arbitrary: fc.array(segment, { maxLength: 5 }).map((s) => `/${s.join('/')}`) },
)

const queryKey = fc.constantFrom(
  'q',
  'limit',
  'exact',
  'id',
  'to',
  'text',
  'n',
  'flag',
  'tags',
  '__proto__',
  '__proto__[polluted]',
  'constructor[prototype][x]',
  'constructor.prototype.x',
  'q[]',
  'limit[0]',
  '',
)
const queryValue = fc.oneof(
  fc.constantFrom(
    '',
    '1',
    '0',
    '-5',
    '1e309',
    'true',
    'false',
    'yes',
    '%',
    '%zz',
    '%F0%9F%92%A5',
    'a+b',
    '[]',
    '{}',
  ),
  fc.string({ maxLength: 8 }).map(encodeURIComponent),
)
export const query = fc
  .array(fc.tuple(queryKey, queryValue), { maxLength: 5 })
  .map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join('&'))

export const method = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom('GET', 'POST', 'PATCH', 'PUT', 'DELETE', 'HEAD', 'OPTIONS') },
  { weight: 1, arbitrary: fc.constantFrom('TRACE', 'CONNECT', 'PROPFIND', 'get', 'FOO') },
)

const deep = (n: number) => '['.repeat(n) + ']'.repeat(n)
const textBody = fc.oneof(
  fc.json({ maxDepth: 4 }),
  fc.constantFrom(
    '',
    '{',
    '}',
    'null',
    '[]',
    '"str"',
    '{"text":1}',
    '{"ms":5}',
    '{"to":2}',
    '{"text":"ok"}',
    '{"__proto__":{"polluted":true}}',
    '{"constructor":{"prototype":{"isAdmin":true}}}',
    '{"text":"a","__proto__":{"x":1}}',
    '{"id":1e400}',
    '\uFEFF{"text":"bom"}',
    '{"text":"\\ud800"}',
    deep(70),
    deep(2000),
    `{"a":${deep(100)}}`,
    `{"text":"${'x'.repeat(20_000)}"}`,
  ),
  fc.string({ maxLength: 40 }),
)
const bytesBody = fc.oneof(
  fc.uint8Array({ maxLength: 40 }),
  fc.constantFrom(
    new Uint8Array([0xff, 0xfe, 0x7b, 0x7d]),
    new Uint8Array([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x3a, 0x31, 0x7d]),
  ),
)
export const body = fc.oneof(
  { weight: 2, arbitrary: fc.constant(undefined) },
  { weight: 5, arbitrary: textBody },
  { weight: 1, arbitrary: bytesBody },
)

const headerValue = fc.oneof(
  fc.constantFrom('', ' ', 'x', 'application/json', 'Bearer', 'Bearer ', 'Bearer tok', 'Basic Zm9vOmJhcg=='),
  fc.string({ maxLength: 20 }).filter((s) => /^[\t\x20-\x7e]*$/.test(s)),
)
export const headers = fc.record(
  {
    'content-type': fc.constantFrom(
      'application/json',
      'application/json; charset=utf-8',
      'APPLICATION/JSON',
      'application/merge-patch+json',
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data',
      'application/json; charset=latin1',
      ';',
      '',
    ),
    'content-encoding': fc.constantFrom('gzip', 'br', 'identity', 'deflate, gzip', 'x-unknown'),
    accept: fc.constantFrom(
      '*/*',
      'application/json',
      'text/event-stream',
      'application/x-ndjson',
      'application/json, text/event-stream',
      'text/html',
      '',
    ),
    authorization: headerValue,
    'x-api-key': headerValue,
    'x-request-id': headerValue,
    host: fc.constantFrom('127.0.0.1', 'localhost:3000', 'a b', '[::1]', 'evil.example', '%', ''),
    origin: fc.constantFrom('http://localhost', 'https://evil.example', 'null', ''),
    'access-control-request-method': fc.constantFrom('POST', 'GET', ''),
  },
  { requiredKeys: [] },
)

const random: fc.Arbitrary<RandomRequest> = fc.record({ method, path, query, headers, body })

const json = { 'content-type': 'application/json' }
const echoInput = fc.record(
  {
    text: fc.string({ maxLength: 20 }),
    n: fc.double(),
    flag: fc.boolean(),
    tags: fc.array(fc.string({ maxLength: 6 }), { maxLength: 3 }),
  },
  { requiredKeys: [] },
)
/** Well-formed calls of every route, so random headers around them reach the handlers. */
const wellFormed: fc.Arbitrary<RandomRequest> = fc
  .tuple(
    fc.oneof(
      echoInput.map((v) => ({
        method: 'POST',
        path: '/echo',
        query: '',
        headers: json,
        body: JSON.stringify(v),
      })),
      fc
        .integer({ min: -1, max: 3 })
        .map((id) => ({ method: 'GET', path: `/items/${id}`, query: '', headers: {}, body: undefined })),
      fc.tuple(fc.string({ maxLength: 8 }), fc.integer({ min: 0, max: 60 })).map(([q, limit]) => ({
        method: 'GET',
        path: '/items/search',
        query: `q=${encodeURIComponent(q)}&limit=${limit}`,
        headers: {},
        body: undefined,
      })),
      fc
        .constantFrom('GET', 'POST')
        .map((m) => ({ method: m, path: '/boom', query: '', headers: {}, body: undefined })),
      fc.constant({ method: 'GET', path: '/whoami', query: '', headers: {}, body: undefined }),
      fc
        .integer({ min: 0, max: 3 })
        .map((to) => ({ method: 'GET', path: '/count', query: `to=${to}`, headers: {}, body: undefined })),
      fc.constant({ method: 'POST', path: '/slow', query: '', headers: json, body: '{"ms":1}' }),
    ),
    fc.record(
      {
        accept: fc.constantFrom('*/*', 'text/event-stream', 'application/x-ndjson'),
        authorization: headerValue,
        'x-api-key': headerValue,
        'x-request-id': headerValue,
        origin: fc.constantFrom('http://localhost', 'https://evil.example'),
      },
      { requiredKeys: [] },
    ),
  )
  .map(([r, extra]) => ({ ...r, headers: { ...extra, ...r.headers } }))

export const request: fc.Arbitrary<RandomRequest> = fc.oneof(random, wellFormed)
