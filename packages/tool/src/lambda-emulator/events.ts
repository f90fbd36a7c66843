/**
 * Events of each trigger for `manifold lambda invoke --event <kind>`, shaped like the ones AWS
 * sends (LAMBDA.md section 2; compare `test/fixtures/lambda-events`), and the translation of
 * a plain HTTP request into a Function URL event for `manifold lambda serve`.
 *
 * @module
 */
import { randomUUID } from 'node:crypto'

/** The kinds `--event` accepts besides a file. */
export const eventKinds = [
  'apigw-v1',
  'apigw-http-v2',
  'function-url',
  'alb',
  'alb-multi-value',
  'sqs',
  'eventbridge',
  'scheduled',
  'direct',
] as const

/** One of {@link eventKinds}. */
export type SampleKind = (typeof eventKinds)[number]

/** What a sample HTTP event carries. */
export interface SampleRequest {
  readonly method?: string
  readonly path?: string
  /** Raw query string without `?`. */
  readonly query?: string
  readonly headers?: Readonly<Record<string, string>>
  readonly body?: string | Uint8Array
  /** The SQS record body, EventBridge detail, or direct `{ op, input }` (JSON text). */
  readonly data?: string
  /** EventBridge detail-type. */
  readonly detailType?: string
}

function queryMaps(query: string, decode: boolean) {
  const single: Record<string, string> = {}
  const multi: Record<string, string[]> = {}
  for (const pair of query.split('&')) {
    if (pair === '') continue
    const eq = pair.indexOf('=')
    const rawKey = eq === -1 ? pair : pair.slice(0, eq)
    const rawValue = eq === -1 ? '' : pair.slice(eq + 1)
    const key = decode ? decodeURIComponent(rawKey.replace(/\+/g, ' ')) : rawKey
    const value = decode ? decodeURIComponent(rawValue.replace(/\+/g, ' ')) : rawValue
    single[key] = value
    const list = multi[key]
    if (list === undefined) multi[key] = [value]
    else list.push(value)
  }
  return { single, multi }
}

function bodyOf(body: string | Uint8Array | undefined): { body: string | null; isBase64Encoded: boolean } {
  if (body === undefined || body.length === 0) return { body: null, isBase64Encoded: false }
  if (typeof body === 'string') return { body, isBase64Encoded: false }
  const text = Buffer.from(body).toString('utf8')
  // Text that survives a round trip travels as is; anything else as base64, as AWS does.
  return Buffer.from(text, 'utf8').equals(Buffer.from(body))
    ? { body: text, isBase64Encoded: false }
    : { body: Buffer.from(body).toString('base64'), isBase64Encoded: true }
}

function v2(kind: 'apigw-http-v2' | 'function-url', req: SampleRequest): Record<string, unknown> {
  const method = req.method ?? 'GET'
  const path = req.path ?? '/'
  const query = req.query ?? ''
  const headers: Record<string, string> = { 'content-type': 'application/json', ...req.headers }
  const cookies = headers.cookie?.split(/;\s*/).filter((c) => c !== '')
  const domain =
    kind === 'function-url'
      ? 'abcdefghijklmnop.lambda-url.us-east-1.on.aws'
      : 'r3pmxmplak.execute-api.us-east-1.amazonaws.com'
  const { body, isBase64Encoded } = bodyOf(req.body)
  const event: Record<string, unknown> = {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: query,
    headers,
    requestContext: {
      accountId: '123456789012',
      apiId: domain.split('.')[0],
      domainName: domain,
      domainPrefix: domain.split('.')[0],
      http: {
        method,
        path,
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: headers['user-agent'] ?? 'manifold',
      },
      requestId: randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
    isBase64Encoded,
  }
  if (query !== '') event.queryStringParameters = queryMaps(query, true).single
  if (cookies !== undefined && cookies.length > 0) event.cookies = cookies
  if (body !== null) event.body = body
  return event
}

function v1(req: SampleRequest): Record<string, unknown> {
  const method = req.method ?? 'GET'
  const path = req.path ?? '/'
  const query = queryMaps(req.query ?? '', true)
  const headers: Record<string, string> = { 'content-type': 'application/json', ...req.headers }
  const hasQuery = Object.keys(query.single).length > 0
  return {
    resource: '/{proxy+}',
    path,
    httpMethod: method,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    queryStringParameters: hasQuery ? query.single : null,
    multiValueQueryStringParameters: hasQuery ? query.multi : null,
    pathParameters: { proxy: path.slice(1) },
    stageVariables: null,
    requestContext: {
      accountId: '123456789012',
      resourceId: 'abc123',
      resourcePath: '/{proxy+}',
      httpMethod: method,
      path: `/prod${path}`,
      stage: 'prod',
      requestId: randomUUID(),
      identity: { sourceIp: '127.0.0.1' },
    },
    ...bodyOf(req.body),
  }
}

function alb(req: SampleRequest, multiValue: boolean): Record<string, unknown> {
  // ALB hands query values over exactly as sent (still percent-encoded).
  const query = queryMaps(req.query ?? '', false)
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-forwarded-for': '127.0.0.1',
    'x-forwarded-port': '443',
    'x-forwarded-proto': 'https',
    ...req.headers,
  }
  const event: Record<string, unknown> = {
    requestContext: {
      elb: {
        targetGroupArn:
          'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/manifold/0123456789abcdef',
      },
    },
    httpMethod: req.method ?? 'GET',
    path: req.path ?? '/',
    ...bodyOf(req.body),
  }
  if (multiValue) {
    event.multiValueQueryStringParameters = query.multi
    event.multiValueHeaders = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]]))
  } else {
    event.queryStringParameters = query.single
    event.headers = headers
  }
  return event
}

/**
 * Builds an event of a kind, shaped like AWS's.
 *
 * @example
 * ```ts
 * import { sampleEvent } from './events.ts'
 * sampleEvent('sqs', { data: '{"op":"add","input":{"title":"x"}}' })
 * ```
 */
export function sampleEvent(kind: SampleKind, req: SampleRequest = {}): unknown {
  switch (kind) {
    case 'apigw-v1':
      return v1(req)
    case 'apigw-http-v2':
    case 'function-url':
      return v2(kind, req)
    case 'alb':
      return alb(req, false)
    case 'alb-multi-value':
      return alb(req, true)
    case 'sqs':
      return {
        Records: [
          {
            messageId: randomUUID(),
            receiptHandle: 'AQEB',
            body: req.data ?? '{}',
            attributes: {
              ApproximateReceiveCount: '1',
              SentTimestamp: String(Date.now()),
              SenderId: '123456789012',
              ApproximateFirstReceiveTimestamp: String(Date.now()),
            },
            messageAttributes: {},
            md5OfBody: '',
            eventSource: 'aws:sqs',
            eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:manifold',
            awsRegion: 'us-east-1',
          },
        ],
      }
    case 'eventbridge':
    case 'scheduled':
      return {
        version: '0',
        id: randomUUID(),
        'detail-type': req.detailType ?? (kind === 'scheduled' ? 'Scheduled Event' : 'Manifold Event'),
        source: kind === 'scheduled' ? 'aws.events' : 'manifold.local',
        account: '123456789012',
        time: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
        region: 'us-east-1',
        resources: kind === 'scheduled' ? ['arn:aws:events:us-east-1:123456789012:rule/manifold'] : [],
        detail: JSON.parse(req.data ?? '{}'),
      }
    case 'direct':
      return JSON.parse(req.data ?? '{}')
  }
}

/** An HTTP answer decoded from a Function URL / API Gateway v2 result. */
export interface DecodedHttpResult {
  readonly status: number
  readonly headers: Record<string, string | string[]>
  readonly body: Buffer
}

/**
 * Decodes what the function answered to an HTTP event, following API Gateway's rules: a result
 * without `statusCode` is a 200 JSON body.
 *
 * @example
 * ```ts
 * import { decodeHttpResult } from './events.ts'
 * decodeHttpResult({ statusCode: 201, body: 'e30=', isBase64Encoded: true }).body.toString() // '{}'
 * ```
 */
export function decodeHttpResult(payload: unknown): DecodedHttpResult {
  const result = payload as {
    statusCode?: unknown
    headers?: Record<string, string>
    multiValueHeaders?: Record<string, string[]>
    cookies?: string[]
    body?: string
    isBase64Encoded?: boolean
  } | null
  if (typeof result !== 'object' || result === null || typeof result.statusCode !== 'number') {
    return {
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: Buffer.from(JSON.stringify(payload)),
    }
  }
  const headers: Record<string, string | string[]> = { ...result.headers, ...result.multiValueHeaders }
  if (Array.isArray(result.cookies) && result.cookies.length > 0) headers['set-cookie'] = result.cookies
  const body = result.body ?? ''
  return {
    status: result.statusCode,
    headers,
    body: result.isBase64Encoded === true ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8'),
  }
}

/**
 * Splits a streamed Function URL response into its prelude and body (LAMBDA.md section 4).
 *
 * @example
 * ```ts
 * import { decodeStream } from './events.ts'
 * decodeStream(Buffer.concat([Buffer.from('{"statusCode":200}'), Buffer.alloc(8), Buffer.from('hi')]))?.status // 200
 * ```
 */
export function decodeStream(bytes: Uint8Array): DecodedHttpResult | undefined {
  const buffer = Buffer.from(bytes)
  const marker = buffer.indexOf(Buffer.alloc(8))
  if (marker === -1) return undefined
  try {
    const prelude = JSON.parse(buffer.subarray(0, marker).toString('utf8')) as {
      statusCode?: number
      headers?: Record<string, string>
      cookies?: string[]
    }
    const headers: Record<string, string | string[]> = { ...prelude.headers }
    if (prelude.cookies !== undefined) headers['set-cookie'] = prelude.cookies
    return { status: prelude.statusCode ?? 200, headers, body: buffer.subarray(marker + 8) }
  } catch {
    return undefined
  }
}
