/**
 * The Lambda handler against the AWS sample events of test/fixtures/lambda-events, mutated at
 * random, and against random direct invocations: it never crashes; HTTP-shaped events get a
 * status of the table and problem+json; everything else resolves, or fails with an error whose
 * name is a code of the table; no event changes a prototype.
 */
import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { createLogger, errorCodes, isErrorCode, startApp } from 'manifold'
import { lambda } from 'manifold/lambda'
import { mcpHandler } from 'manifold/mcp'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  expectHttpAnswer,
  expectNoLeak,
  expectPrototypesIntact,
  httpStatuses,
  prototypeFingerprint,
} from './check.ts'
import { fixture } from './fixture/app.ts'

const root = new URL('../fixtures/lambda-events/', import.meta.url)
const index = JSON.parse(readFileSync(new URL('index.json', root), 'utf8')) as {
  file: string
  classifyAs: string | null
}[]
const samples = index
  .filter((e) => e.classifyAs !== null)
  .map((e) => JSON.parse(readFileSync(new URL(e.file, root), 'utf8')) as unknown)

const handler = lambda(fixture, {
  mcp: mcpHandler(fixture),
  events: { 'Scheduled Event': 'count' },
  deadlineMargin: 50,
  log: createLogger({ level: 'silent' }),
})
const context = () => ({ awsRequestId: 'req-1', getRemainingTimeInMillis: () => 5_000 })

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

/** Every path into a JSON value, parents first. */
function pathsOf(value: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []) {
  out.push(prefix)
  if (typeof value === 'object' && value !== null && prefix.length < 6) {
    for (const [key, child] of Object.entries(value)) {
      pathsOf(child, [...prefix, Array.isArray(value) ? Number(key) : key], out)
    }
  }
  return out
}

const routes = [
  '/echo',
  '/items/1',
  '/items/x',
  '/boom',
  '/whoami',
  '/count',
  '/slow',
  '/mcp',
  '/healthz',
  '/nope',
]
const replacement: fc.Arbitrary<Json | undefined> = fc.oneof(
  fc.constant(undefined),
  fc.constantFrom<Json>(
    null,
    '',
    'GET',
    'POST',
    'get',
    'TRACE',
    ...routes,
    '%zz',
    'not base64!',
    true,
    0,
    -1,
    Number.POSITIVE_INFINITY,
    '{"text":"hi"}',
    '{"__proto__":{"polluted":1}}',
    '[[[[[[',
    { __proto__: { polluted: 1 } } as unknown as Json,
    JSON.parse('{"__proto__":{"polluted":1}}') as Json,
    [],
    {},
  ),
  fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>,
)
const mutation = fc.tuple(fc.nat(), replacement)

function mutate(event: unknown, mutations: readonly [number, Json | undefined][]): unknown {
  let out = structuredClone(event)
  for (const [at, value] of mutations) {
    const paths = pathsOf(out)
    const path = paths[at % paths.length] ?? []
    if (path.length === 0) {
      out = value
      continue
    }
    let parent = out as Record<string | number, unknown>
    for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>
    const last = path.at(-1) as string | number
    if (value === undefined) delete parent[last]
    else parent[last] = value
  }
  return out
}

const methods = ['GET', 'POST', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'PUT', 'FOO']
/** Points an HTTP-shaped event at one of the fixture's routes with one method, in every field AWS uses. */
function aim(event: unknown, route: string, method: string): unknown {
  if (typeof event !== 'object' || event === null) return event
  const e = structuredClone(event) as Record<string, Record<string, Record<string, unknown>> | unknown>
  if ('httpMethod' in e) e.httpMethod = method
  if ('path' in e) e.path = route
  if ('rawPath' in e) e.rawPath = route
  const http = (e.requestContext as { http?: Record<string, unknown> } | undefined)?.http
  if (http !== undefined) Object.assign(http, { method, path: route })
  return e
}

/** The method an HTTP-shaped event carries, upper-cased. */
function methodOf(event: unknown): string {
  const e = event as { httpMethod?: unknown; requestContext?: { http?: { method?: unknown } } }
  const method = e.httpMethod ?? e.requestContext?.http?.method
  return typeof method === 'string' ? method.toUpperCase() : ''
}

/** Whether an event asks for the fixture's operation that fails on purpose. */
function asksForBoom(event: unknown): boolean {
  return /"(?:path|rawPath)":"\/boom"/.test(JSON.stringify(event) ?? '')
}

async function check(event: unknown, before: string): Promise<void> {
  let result: unknown
  try {
    result = await handler(event, context())
  } catch (error) {
    expect(error).toBeInstanceOf(Error)
    const name = (error as Error).name
    expect(isErrorCode(name), `error name "${name}" for ${JSON.stringify(event)?.slice(0, 300)}`).toBe(true)
    if (name === 'internal') expectNoLeak((error as Error).message)
    expectPrototypesIntact(before)
    return
  }
  if (typeof result === 'object' && result !== null && 'statusCode' in result) {
    const r = result as {
      statusCode: number
      headers?: Record<string, string>
      multiValueHeaders?: Record<string, string[]>
      body?: string
      isBase64Encoded?: boolean
    }
    const where = `${r.statusCode} ${r.body?.slice(0, 300)} for ${JSON.stringify(event)?.slice(0, 400)}`
    // MCP answers JSON-RPC errors on its own endpoint, with the SDK's statuses (406 and the like).
    const jsonRpc = /^\{"jsonrpc"/.test(r.body ?? '')
    if (!jsonRpc) expect(httpStatuses.has(r.statusCode), where).toBe(true)
    if (!asksForBoom(event)) expect(r.statusCode, where).not.toBe(errorCodes.internal.status)
    const type =
      r.headers?.['content-type'] ??
      r.headers?.['Content-Type'] ??
      r.multiValueHeaders?.['content-type']?.join(', ')
    // MCP answers JSON-RPC on its own endpoint; a HEAD answer has no body.
    if (methodOf(event) === 'HEAD') expectHttpAnswer(r.statusCode, type, undefined)
    else if (!(type ?? '').includes('problem') && r.statusCode >= 400 && (type ?? '').includes('json')) {
      expect(r.body ?? '').toMatch(/jsonrpc/)
    } else {
      const body = r.isBase64Encoded === true ? Buffer.from(r.body ?? '', 'base64').toString() : r.body
      expectHttpAnswer(r.statusCode, type, body ?? '')
    }
  }
  expectPrototypesIntact(before)
}

describe('lambda() against mutated AWS sample events', () => {
  // The internal errors the fixture throws on purpose are logged; keep them off the test output.
  beforeAll(() => startApp(fixture, { log: createLogger({ level: 'silent' }) }))

  it('answers every mutated event without crashing, with codes of the table', async () => {
    const before = prototypeFingerprint()
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: samples.length - 1 }),
        fc.option(fc.tuple(fc.constantFrom(...routes), fc.constantFrom(...methods))),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        async (which, target, mutations) => {
          const aimed = target === null ? samples[which] : aim(samples[which], ...target)
          await check(mutate(aimed, mutations), before)
        },
      ),
      { numRuns: 500, seed: Number(process.env.FC_SEED ?? 6), endOnFailure: true },
    )
  })

  it('answers every sample event unchanged', async () => {
    const before = prototypeFingerprint()
    for (const event of samples) await check(event, before)
  })

  it('answers random direct invocations and random values', async () => {
    const before = prototypeFingerprint()
    const op = fc.constantFrom(
      'echo',
      'items.get',
      'items.search',
      'boom',
      'whoami',
      'count',
      'nope',
      '__proto__',
      'constructor',
      'toString',
      'hasOwnProperty',
      '',
    )
    const direct = fc.record({ op, input: fc.jsonValue({ maxDepth: 3 }) }, { requiredKeys: ['op'] })
    const echoInput = fc.record(
      {
        text: fc.string({ maxLength: 8 }),
        n: fc.double(),
        tags: fc.array(fc.string({ maxLength: 4 }), { maxLength: 3 }),
      },
      { requiredKeys: [] },
    )
    const wellFormed = fc.oneof(
      echoInput.map((input) => ({ op: 'echo', input })),
      fc.integer({ min: -1, max: 3 }).map((id) => ({ op: 'items.get', input: { id } })),
      fc.constantFrom({ op: 'boom' }, { op: 'whoami' }, { op: 'count', input: { to: 2 } }),
    )
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(wellFormed, direct, fc.jsonValue({ maxDepth: 3 }), fc.anything()),
        async (event) => {
          await check(event, before)
        },
      ),
      { numRuns: 400, seed: Number(process.env.FC_SEED ?? 7), endOnFailure: true },
    )
  })
})
