/**
 * One call as an HTTP request (method, path, query, body), from an operation's route, and
 * that request as each Lambda HTTP event shape: API Gateway REST (v1), HTTP API (v2),
 * Function URL and ALB.
 *
 * @module
 */
import { routesOf } from '../internal/route.ts'
import type { AnyOp } from '../op.ts'

/** An HTTP request built from an operation and its input. */
export interface WireRequest {
  readonly method: string
  readonly path: string
  /** Raw query string, without `?`. */
  readonly query: string
  readonly body: string | undefined
  readonly headers: Record<string, string>
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

function queryOf(fields: Record<string, unknown>): string {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue
    for (const v of Array.isArray(value) ? value : [value]) {
      params.append(key, typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v))
    }
  }
  return params.toString()
}

/**
 * The request a client sends for this call: path parameters from the input, the rest in the
 * query string (GET) or as a JSON body. Undefined when the operation is hidden from HTTP.
 */
export function toWireRequest(op: AnyOp, input: unknown, token?: string): WireRequest | undefined {
  const route = routesOf(op)[0]
  if (route === undefined) return undefined
  const rest: Record<string, unknown> = isPlainObject(input) ? { ...input } : {}
  const path = route.path.replace(/\{([^}/]+)\}/g, (_m, name: string) => {
    const value = rest[name]
    delete rest[name]
    return encodeURIComponent(value === undefined ? '' : String(value))
  })
  const headers: Record<string, string> = { accept: 'application/json, application/x-ndjson' }
  if (token !== undefined) headers.authorization = `Bearer ${token}`
  const queryMethod = route.method === 'GET' || route.method === 'DELETE'
  let body: string | undefined
  let query = ''
  if (queryMethod) query = queryOf(rest)
  else if (!isPlainObject(input) && input !== undefined) body = JSON.stringify(input)
  else if (Object.keys(rest).length > 0 || route.method === 'POST') body = JSON.stringify(rest)
  if (body !== undefined) headers['content-type'] = 'application/json'
  return { method: route.method, path, query, body, headers }
}

/** The Lambda HTTP event kinds {@link toLambdaEvent} builds. */
export type LambdaHttpKind = 'v1' | 'v2' | 'url' | 'alb'

function queryMaps(query: string, decode: boolean) {
  const single: Record<string, string> = {}
  const multi: Record<string, string[]> = {}
  if (query === '') return { single: null, multi: null }
  for (const pair of query.split('&')) {
    const eq = pair.indexOf('=')
    const rawKey = eq === -1 ? pair : pair.slice(0, eq)
    const rawValue = eq === -1 ? '' : pair.slice(eq + 1)
    const dec = (s: string) => (decode ? decodeURIComponent(s.replace(/\+/g, ' ')) : s)
    const key = dec(rawKey)
    single[key] = dec(rawValue)
    const list = multi[key] ?? []
    list.push(dec(rawValue))
    multi[key] = list
  }
  return { single, multi }
}

/**
 * The Lambda event AWS sends for this request through each HTTP integration, with the
 * fields manifold and AWS's own samples rely on.
 */
export function toLambdaEvent(
  kind: LambdaHttpKind,
  req: WireRequest,
  requestId: string,
): Record<string, unknown> {
  const headers = { host: 'notes.example.com', ...req.headers }
  const body = req.body ?? null
  if (kind === 'v1') {
    const { single, multi } = queryMaps(req.query, true)
    return {
      resource: '/{proxy+}',
      path: req.path,
      httpMethod: req.method,
      headers,
      multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
      queryStringParameters: single,
      multiValueQueryStringParameters: multi,
      pathParameters: { proxy: req.path.slice(1) },
      stageVariables: null,
      requestContext: {
        resourcePath: '/{proxy+}',
        httpMethod: req.method,
        path: `/prod${req.path}`,
        stage: 'prod',
        requestId,
        identity: { sourceIp: '127.0.0.1' },
      },
      body,
      isBase64Encoded: false,
    }
  }
  if (kind === 'alb') {
    const { single } = queryMaps(req.query, false)
    return {
      requestContext: {
        elb: { targetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/notes/1' },
      },
      httpMethod: req.method,
      path: req.path,
      queryStringParameters: single ?? {},
      headers,
      body: body ?? '',
      isBase64Encoded: false,
    }
  }
  const { single } = queryMaps(req.query, true)
  const domainName =
    kind === 'url' ? 'abcdefgh.lambda-url.us-east-1.on.aws' : 'abcdefgh.execute-api.us-east-1.amazonaws.com'
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: req.path,
    rawQueryString: req.query,
    headers,
    ...(single === null ? {} : { queryStringParameters: single }),
    requestContext: {
      accountId: '123456789012',
      apiId: 'abcdefgh',
      domainName,
      domainPrefix: 'abcdefgh',
      http: {
        method: req.method,
        path: req.path,
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: 'test',
      },
      requestId,
      routeKey: '$default',
      stage: '$default',
      time: '24/Nov/2026:10:00:00 +0000',
      timeEpoch: 1795514400000,
    },
    ...(body === null ? {} : { body }),
    isBase64Encoded: false,
  }
}

/** A Lambda context for local calls. */
export function lambdaContext(requestId: string): Record<string, unknown> {
  return {
    awsRequestId: requestId,
    functionName: 'notes',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:notes',
    memoryLimitInMB: '512',
    logGroupName: '/aws/lambda/notes',
    logStreamName: 'local',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => 30_000,
  }
}
