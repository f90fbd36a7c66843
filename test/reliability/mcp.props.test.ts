/**
 * MCP over Streamable HTTP against random JSON-RPC messages, through mcpHandler with real
 * Requests: it never throws and never answers 500; every tool failure is an `isError` result
 * carrying a problem of the table; nothing internal leaks; no message changes a prototype.
 */
import fc from 'fast-check'
import { createLogger, startApp } from 'manifold'
import { mcpHandler } from 'manifold/mcp'
import { beforeAll, describe, expect, it } from 'vitest'
import { expectNoLeak, expectProblem, expectPrototypesIntact, prototypeFingerprint } from './check.ts'
import { fixture } from './fixture/app.ts'

const handle = mcpHandler(fixture)

const tools = [
  'echo',
  'items_get',
  'items_search',
  'slow',
  'boom',
  'whoami',
  'count',
  'nope',
  '__proto__',
  '',
]
const proto = JSON.parse(
  '{"__proto__":{"polluted":1},"constructor":{"prototype":{"isAdmin":true}}}',
) as unknown
const argumentsArb = fc.oneof(
  fc.record(
    {
      text: fc.string({ maxLength: 20 }),
      n: fc.double(),
      flag: fc.boolean(),
      tags: fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
      id: fc.oneof(fc.integer(), fc.string({ maxLength: 4 })),
      q: fc.string({ maxLength: 10 }),
      limit: fc.integer({ min: -5, max: 100 }),
      ms: fc.integer({ min: 0, max: 5 }),
      to: fc.integer({ min: -1, max: 25 }),
    },
    { requiredKeys: [] },
  ),
  fc.constant(proto),
  fc.jsonValue({ maxDepth: 2 }),
)
const paramsArb = fc.oneof(
  fc.record({ name: fc.constantFrom(...tools), arguments: argumentsArb }, { requiredKeys: ['name'] }),
  fc.record({
    protocolVersion: fc.constantFrom('2025-11-25', '2025-06-18', '2026-07-28', 'x'),
    capabilities: fc.constant({}),
    clientInfo: fc.constant({ name: 'fuzz', version: '0' }),
  }),
  fc.jsonValue({ maxDepth: 2 }),
  fc.constant(proto),
)
const message = fc.record(
  {
    jsonrpc: fc.constantFrom('2.0', '2.0', '2.0', '1.0', 2),
    id: fc.oneof(fc.integer(), fc.string({ maxLength: 6 }), fc.constant(null), fc.constant({})),
    method: fc.constantFrom(
      'tools/call',
      'tools/call',
      'tools/call',
      'tools/list',
      'initialize',
      'ping',
      'resources/list',
      'prompts/get',
      'notifications/initialized',
      'notifications/cancelled',
      'x',
      '__proto__',
    ),
    params: paramsArb,
  },
  { requiredKeys: ['method'] },
)
const body = fc.oneof(
  { weight: 6, arbitrary: message.map((m) => JSON.stringify(m)) },
  { weight: 1, arbitrary: fc.array(message, { maxLength: 3 }).map((m) => JSON.stringify(m)) },
  { weight: 1, arbitrary: fc.constantFrom('', '{', 'null', '[]', '"x"', '{"jsonrpc":"2.0"}', '[[[[[[[[') },
  { weight: 1, arbitrary: fc.string({ maxLength: 30 }) },
)
const headers = fc.record(
  {
    'content-type': fc.constantFrom(
      'application/json',
      'application/json',
      'text/plain',
      'application/json; charset=utf-8',
    ),
    accept: fc.constantFrom(
      'application/json, text/event-stream',
      'application/json, text/event-stream',
      'application/json',
      'text/event-stream',
      '*/*',
    ),
    'mcp-protocol-version': fc.constantFrom('2025-11-25', '2026-07-28', '2025-03-26', 'nope'),
    authorization: fc.constantFrom('Bearer x', 'Bearer ', 'Basic abc'),
  },
  { requiredKeys: ['content-type', 'accept'] },
)
const methodArb = fc.constantFrom('POST', 'POST', 'POST', 'POST', 'GET', 'DELETE', 'PUT', 'OPTIONS')

/** JSON-RPC messages of a body: one JSON document, or the data lines of an SSE stream. */
function messagesOf(text: string, type: string): unknown[] {
  if (text === '') return []
  if (type.includes('text/event-stream')) {
    return text
      .split('\n')
      .filter((line) => line.startsWith('data: '))
      .map((line) => JSON.parse(line.slice(6)) as unknown)
  }
  const value = JSON.parse(text) as unknown
  return Array.isArray(value) ? value : [value]
}

/** Well-formed tool calls of the 2025 revision, so handlers run, not only the protocol checks. */
const call = fc
  .record({ name: fc.constantFrom(...tools), arguments: fc.oneof(fc.constant({}), argumentsArb) })
  .map((params) => JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params }))
const wellFormed = fc.tuple(
  fc.constant('POST'),
  fc.constant({
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    'mcp-protocol-version': '2025-11-25',
  }),
  call,
)
const anyRequest = fc.oneof(fc.tuple(methodArb, headers, body), wellFormed)

describe('mcpHandler against random JSON-RPC messages', () => {
  beforeAll(() => startApp(fixture, { log: createLogger({ level: 'silent' }) }))

  it('answers every message without a 500, and every tool failure as a problem of the table', async () => {
    const before = prototypeFingerprint()
    await fc.assert(
      fc.asyncProperty(anyRequest, async ([method, head, text]) => {
        const hasBody = method !== 'GET'
        const response = await handle(
          new Request('http://127.0.0.1/mcp', { method, headers: head, ...(hasBody ? { body: text } : {}) }),
        )
        const out = await response.text()
        const where = `${method} ${text.slice(0, 200)} -> ${response.status} ${out.slice(0, 300)}`
        expect(response.status, where).not.toBe(500)
        expect(response.status, where).toBeLessThan(500)
        const type = response.headers.get('content-type') ?? ''
        if (!type.includes('json') && !type.includes('event-stream')) return
        for (const raw of messagesOf(out, type)) {
          const m = raw as {
            jsonrpc?: unknown
            result?: { isError?: boolean; structuredContent?: unknown; content?: { text?: string }[] }
          }
          expect(m.jsonrpc, where).toBe('2.0')
          if (m.result?.isError === true) {
            // Tools with an output schema carry the problem only as text (see toToolError).
            const problem = m.result.structuredContent ?? JSON.parse(m.result.content?.[0]?.text ?? 'null')
            const { code } = expectProblem(problem)
            if (code === 'internal') expectNoLeak(out)
          }
        }
        if (text.includes('"boom"')) expectNoLeak(out)
        expectPrototypesIntact(before)
      }),
      { numRuns: 300, seed: Number(process.env.FC_SEED ?? 8), endOnFailure: true },
    )
  })
})
