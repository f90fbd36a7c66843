/**
 * lambda() on everything that is not an HTTP fixture: direct calls, EventBridge, look-alikes
 * and unsupported triggers, the deadline, and the response shapes of each integration.
 */
import { readFileSync } from 'node:fs'
import { app, createLogger, op } from 'manifold'
import { withMcpBridge } from 'manifold/http'
import { lambda, toEventResult } from 'manifold/lambda'
import { mcpHandler } from 'manifold/mcp'
import { describe, expect, it } from 'vitest'
import testApp from './app.ts'

const root = new URL('../fixtures/lambda-events/', import.meta.url)
const load = (file: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(file, root), 'utf8')) as Record<string, unknown>

const silent = createLogger({ level: 'silent' })
const handler = lambda(testApp, {
  events: { 'Scheduled Event': 'cleanup', 'EC2 Instance State-change Notification': 'cleanup' },
  log: silent,
})
const context = (ms = 30_000) => ({ awsRequestId: 'req-2', getRemainingTimeInMillis: () => ms })

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise
  } catch (error) {
    return error as Error
  }
  throw new Error('expected the handler to throw')
}

describe('lambda() handler', () => {
  it('lambda() returns a function declaring at most two parameters', () => {
    expect(handler.length).toBeLessThanOrEqual(2)
  })

  it('lambda() answers a direct invocation with the output', async () => {
    expect(await handler({ op: 'get', input: { id: '7' } }, context())).toEqual({ id: '7', title: 'Note 7' })
  })

  it('lambda() collects a streaming operation into an array on a direct invocation', async () => {
    expect(await handler({ op: 'count', input: { to: 3 } }, context())).toEqual([
      { n: 1 },
      { n: 2 },
      { n: 3 },
    ])
  })

  it.each([
    {
      description: 'an unknown operation',
      event: { op: 'nope' },
      name: 'usage',
      message: 'Unknown operation "nope"',
    },
    {
      description: 'a failing handler',
      event: { op: 'get', input: { id: '404' } },
      name: 'not_found',
      message: 'No note "404"',
    },
    { description: 'bad input', event: { op: 'get', input: {} }, name: 'invalid_input', message: '' },
    { description: 'an array', event: [1, 2], name: 'usage', message: 'has no "op"' },
    { description: 'a string', event: 'hello', name: 'usage', message: 'has no "op"' },
    { description: 'null', event: null, name: 'usage', message: 'has no "op"' },
  ])(
    'lambda() fails a direct invocation of $description with errorType "$name"',
    async ({ event, name, message }) => {
      const error = await failure(handler(event, context()))
      expect(error.name).toBe(name)
      expect(error.message).toContain(message)
    },
  )

  it.each([
    ['aws-lambda-go/apigw-v2-custom-authorizer-v2-request.json', 'an API Gateway Lambda authorizer request'],
    ['aws-lambda-go/apigw-custom-auth-request-type-request.json', 'an API Gateway Lambda authorizer request'],
    ['aws-lambda-go/apigw-websocket-request.json', 'an API Gateway WebSocket event'],
    ['aws-lambda-go/cloudwatch-logs-event.json', 'a CloudWatch Logs subscription event'],
    ['powertools-lambda-python/vpcLatticeV2Event.json', 'a VPC Lattice request'],
    ['powertools-lambda-python/bedrockAgentEvent.json', 'a Bedrock agent action request'],
  ])('lambda() rejects the look-alike %s naming it as %s', async (file, looksLike) => {
    const error = await failure(handler(load(file), context()))
    expect(error.name).toBe('usage')
    expect(error.message).toBe(
      `Cannot route this event: it looks like ${looksLike}, which manifold/lambda does not handle`,
    )
  })

  it.each([
    ['aws-lambda-go/sns-event.json', 'SNS events are not supported by manifold/lambda'],
    ['powertools-lambda-typescript/sns-base.json', 'SNS events are not supported by manifold/lambda'],
    ['aws-lambda-go/s3-event.json', 'S3 events are not supported by manifold/lambda'],
  ])('lambda() rejects %s with a hint', async (file, message) => {
    const error = await failure(handler(load(file), context()))
    expect(error.name).toBe('usage')
    expect(error.message).toBe(message)
    expect((error as Error & { hint: string }).hint).toMatch(/lambda\(app, \{ (sqs|events) \}\)/)
  })

  it.each([
    ['aws-sam-cli/ScheduledEvent.json', {}],
    ['aws-lambda-rust-runtime/example-eventbridge-schedule.json', {}],
    [
      'powertools-lambda-typescript/eventbridge-base.json',
      { instance_id: 'i-1234567890abcdef0', state: 'terminated' },
    ],
  ])('lambda() calls the operation bound to the detail-type of %s with the detail', async (file, detail) => {
    expect(await handler(load(file), context())).toEqual({ cleaned: true, detail })
  })

  it('lambda() fails an EventBridge event whose detail-type is not bound, naming it', async () => {
    const error = await failure(
      handler(load('powertools-lambda-typescript/s3-eventbridge-object-created.json'), context()),
    )
    expect(error.name).toBe('usage')
    expect(error.message).toBe('No operation is bound to EventBridge detail-type "Object Created"')
  })

  it('lambda() aborts ctx.signal before the Lambda deadline and fails with timeout', async () => {
    const error = await failure(handler({ op: 'slow', input: { ms: 5000 } }, context(700)))
    expect(error.name).toBe('timeout')
  })

  it('lambda() answers timeout even when the operation ignores its signal', async () => {
    const error = await failure(handler({ op: 'stuck' }, context(600)))
    expect(error.name).toBe('timeout')
  })

  it('lambda() answers an HTTP event that runs past the deadline with a 504 problem', async () => {
    const event = load('aws-lambda-rust-runtime/apigw_v2_proxy_request_minimal.json')
    const rc = event.requestContext as { http: Record<string, unknown> }
    const stuck = {
      ...event,
      rawPath: '/stuck',
      requestContext: { ...rc, http: { ...rc.http, method: 'POST' } },
    }
    const result = (await handler(stuck, context(600))) as { statusCode: number; body: string }
    expect(result.statusCode).toBe(504)
    expect(JSON.parse(result.body)).toMatchObject({ code: 'timeout', status: 504, requestId: 'req-2' })
  })
})

describe('toEventResult()', () => {
  const v2Shape = {
    statusCode: 201,
    headers: { 'content-type': 'application/json', vary: 'accept, origin' },
    cookies: ['a=1', 'b=2'],
    body: '{"ok":true}',
    isBase64Encoded: false,
  }
  const response = {
    status: 201,
    headers: { 'content-type': 'application/json', 'set-cookie': ['a=1', 'b=2'], vary: ['accept', 'origin'] },
    body: '{"ok":true}',
  }
  it.each([
    {
      kind: 'apigw-v1' as const,
      multi: false,
      expected: {
        statusCode: 201,
        headers: { 'content-type': 'application/json' },
        multiValueHeaders: { 'set-cookie': ['a=1', 'b=2'], vary: ['accept', 'origin'] },
        body: '{"ok":true}',
        isBase64Encoded: false,
      },
    },
    { kind: 'apigw-http-v2' as const, multi: false, expected: v2Shape },
    { kind: 'function-url' as const, multi: false, expected: v2Shape },
    {
      kind: 'alb' as const,
      multi: true,
      expected: {
        statusCode: 201,
        statusDescription: '201 Created',
        multiValueHeaders: {
          'content-type': ['application/json'],
          'set-cookie': ['a=1', 'b=2'],
          vary: ['accept', 'origin'],
        },
        body: '{"ok":true}',
        isBase64Encoded: false,
      },
    },
    {
      kind: 'alb' as const,
      multi: false,
      expected: {
        statusCode: 201,
        statusDescription: '201 Created',
        // Single-value mode: one Set-Cookie survives, other repeated headers are comma-joined.
        headers: { 'content-type': 'application/json', 'set-cookie': 'b=2', vary: 'accept, origin' },
        body: '{"ok":true}',
        isBase64Encoded: false,
      },
    },
  ])(
    'toEventResult() renders $kind (multi-value $multi) in its integration shape',
    async ({ kind, multi, expected }) => {
      expect(await toEventResult(kind, response, multi)).toEqual(expected)
    },
  )

  it('toEventResult() sends bytes that are not text as base64, and buffers a stream', async () => {
    async function* chunks() {
      yield new Uint8Array([0, 1, 2])
      yield new Uint8Array([255])
    }
    const result = await toEventResult(
      'apigw-v1',
      { status: 200, headers: { 'content-type': 'application/octet-stream' }, body: chunks() },
      false,
    )
    expect(result).toMatchObject({
      body: Buffer.from([0, 1, 2, 255]).toString('base64'),
      isBase64Encoded: true,
    })
  })

  it('toEventResult() sends a compressed text body as base64', async () => {
    const result = await toEventResult(
      'function-url',
      {
        status: 200,
        headers: { 'content-type': 'text/plain', 'content-encoding': 'gzip' },
        body: new Uint8Array([31, 139]),
      },
      false,
    )
    expect(result).toMatchObject({ body: 'H4s=', isBase64Encoded: true })
  })
})

describe('lambda() built-in routes', () => {
  const v2 = (method: string, rawPath: string, body?: string) => {
    const event = load('aws-lambda-rust-runtime/apigw_v2_proxy_request_minimal.json')
    const rc = event.requestContext as { http: Record<string, unknown> }
    return {
      ...event,
      rawPath,
      headers: {
        ...(event.headers as object),
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      requestContext: { ...rc, http: { ...rc.http, method } },
      ...(body === undefined ? {} : { body }),
    }
  }

  it('lambda() answers GET /healthz with 200', async () => {
    const result = (await handler(v2('GET', '/healthz'), context())) as { statusCode: number; body: string }
    expect(result.statusCode).toBe(200)
    expect(JSON.parse(result.body)).toEqual({ status: 'ok' })
  })

  it('lambda() answers MCP on /mcp when given an MCP handler', async () => {
    const withMcp = lambda(testApp, { mcp: mcpHandler(testApp), log: silent })
    const call = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} })
    const initialize = JSON.stringify({
      jsonrpc: '2.0',
      id: 0,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'test', version: '1' } },
    })
    const init = (await withMcp(v2('POST', '/mcp', initialize), context())) as {
      statusCode: number
      body: string
    }
    expect(init.statusCode).toBe(200)
    expect(init.body).toContain('"serverInfo"')
    const list = (await withMcp(v2('POST', '/mcp', call), context())) as { statusCode: number; body: string }
    expect(list.statusCode).toBe(200)
    expect(list.body).toContain('"name":"get"')
  })

  it('lambda() takes an MCP handler of its own once withMcpBridge() wraps it, and refuses it bare', async () => {
    const own = async (request: Request) => new Response(`{"method":"${request.method}"}`, { status: 200 })
    expect(() => lambda(testApp, { mcp: own, log: silent })).toThrow(/withMcpBridge\(\) from manifold\/http/)
    const bridged = lambda(testApp, { mcp: withMcpBridge(own), log: silent })
    const res = (await bridged(v2('POST', '/mcp', '{}'), context())) as { statusCode: number; body: string }
    expect(res.statusCode).toBe(200)
    expect(res.body).toBe('{"method":"POST"}')
  })
})

describe('lambda() and the execution environment', () => {
  it('lambda() creates deps on the first invocation only and reuses them after', async () => {
    let created = 0
    const counted = app({
      name: 'counted',
      version: '1.0.0',
      deps: () => {
        created++
        return { n: created }
      },
      operations: [op({ name: 'deps', handler: (_input, ctx) => ctx.deps })],
    })
    const counting = lambda(counted)
    expect(created).toBe(0)
    for (let i = 0; i < 3; i++) expect(await counting({ op: 'deps' }, context())).toEqual({ n: 1 })
    expect(created).toBe(1)
  })
})

describe('lambda() warm invocations', () => {
  it('lambda() gives ctx the awsRequestId and never hands a listened-to signal to the next invocation', async () => {
    const heard: string[] = []
    const signals: AbortSignal[] = []
    const target = app({
      name: 'reuse',
      version: '1.0.0',
      operations: [
        op({
          name: 'listen',
          handler: (_input, ctx) => {
            signals.push(ctx.signal)
            ctx.signal.addEventListener('abort', () => heard.push(ctx.requestId))
            return ctx.requestId
          },
        }),
        op({ name: 'peek', handler: (_input, ctx) => void signals.push(ctx.signal) }),
        op({
          name: 'wait',
          handler: (_input, ctx) =>
            new Promise((_resolve, reject) =>
              ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason)),
            ),
        }),
      ],
    })
    const handle = lambda(target, { log: silent })
    const ctx = (id: string, ms = 30_000) => ({ awsRequestId: id, getRemainingTimeInMillis: () => ms })
    expect(await handle({ op: 'listen' }, ctx('a'))).toBe('a')
    await handle({ op: 'peek' }, ctx('b'))
    await handle({ op: 'peek' }, ctx('c'))
    // A signal nobody listens to is reused; the one with a listener is not.
    expect(signals[1]).not.toBe(signals[0])
    expect(signals[2]).toBe(signals[1])
    expect((await failure(handle({ op: 'wait' }, ctx('d', 520)))).name).toBe('timeout')
    expect(heard).toEqual([])
    expect(signals[0]?.aborted).toBe(false)
  })

  it('lambda() answers a synchronous operation and an asynchronous one alike', async () => {
    const target = app({
      name: 'alike',
      version: '1.0.0',
      operations: [
        op({ name: 'now', handler: () => ({ ok: true }) }),
        op({ name: 'later', handler: async () => ({ ok: true }) }),
      ],
    })
    const handle = lambda(target, { log: silent })
    expect(await handle({ op: 'now' }, context())).toEqual(await handle({ op: 'later' }, context()))
    expect(await handle({ op: 'now' })).toEqual({ ok: true })
  })
})
