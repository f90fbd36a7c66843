/**
 * Inputs the property tests once broke an adapter with (/work/briefs/bugs.md, B1–B3b), kept as
 * fixed cases: /mcp answered 500 for requests WHATWG Request refuses.
 */
import { readFileSync } from 'node:fs'
import { createLogger, startApp } from 'manifold'
import { createHandler } from 'manifold/http'
import { lambda } from 'manifold/lambda'
import { mcpHandler } from 'manifold/mcp'
import { beforeAll, describe, expect, it } from 'vitest'
import { fixture } from './fixture/app.ts'

const mcp = mcpHandler(fixture)
const handle = createHandler(fixture, { accessLog: false, mcp })
const handler = lambda(fixture, { mcp })
const mcpHeaders = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' }
const events = new URL('../fixtures/lambda-events/', import.meta.url)
const alb = JSON.parse(
  readFileSync(new URL('aws-lambda-go/alb-lambda-target-request-headers-only.json', events), 'utf8'),
) as Record<string, unknown>

beforeAll(() => startApp(fixture, { log: createLogger({ level: 'silent' }) }))

describe('/mcp with requests WHATWG Request refuses', () => {
  it.each([
    ['B1: a Host that is not an authority', 'POST', { ...mcpHeaders, host: 'a b' }, '{}'],
    ['B2: a lower-case get with a body', 'get', { ...mcpHeaders, host: '127.0.0.1' }, '{}'],
    ['B3: TRACE', 'TRACE', { host: '127.0.0.1' }, undefined],
    ['B3: CONNECT', 'CONNECT', { host: '127.0.0.1' }, undefined],
  ] as const)('createHandler answers %s with a client error', async (_what, method, headers, body) => {
    const res = await handle({ method, path: '/mcp', query: '', headers: { ...headers }, body })
    expect(res.status).toBeGreaterThanOrEqual(400)
    expect(res.status).toBeLessThan(500)
  })

  it.each([
    ['a Host that is not an authority', { httpMethod: 'POST', headers: { host: 'a b' } }],
    ['a header name that is not a token', { httpMethod: 'POST', headers: { ':': 'x' } }],
    ['a method that is not a token', { httpMethod: 'GET /' }],
    ['a method that is not a string', { httpMethod: {} }],
  ])(
    'the Lambda handler answers an ALB event on /mcp with %s with a client error (B3b)',
    async (_what, change) => {
      const event = { ...alb, path: '/mcp', body: '{}', ...change }
      const result = (await handler(event, { awsRequestId: 'r' })) as { statusCode: number }
      expect(result.statusCode).toBeGreaterThanOrEqual(400)
      expect(result.statusCode).toBeLessThan(500)
    },
  )
})
