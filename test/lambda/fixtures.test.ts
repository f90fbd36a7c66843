/**
 * Every AWS sample event of `test/fixtures/lambda-events/index.json`: classified as the index
 * says, and every HTTP-shaped one, routed to the test app, answers in the exact shape its
 * integration requires (LAMBDA.md section 3).
 */
import { readFileSync } from 'node:fs'
import { classifyEvent, lambda } from 'manifold/lambda'
import { describe, expect, it } from 'vitest'
import testApp from './app.ts'

interface Entry {
  readonly file: string
  readonly kind: string
  readonly classifyAs: string | null
}

const root = new URL('../fixtures/lambda-events/', import.meta.url)
const index = JSON.parse(readFileSync(new URL('index.json', root), 'utf8')) as Entry[]
const load = (file: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(file, root), 'utf8')) as Record<string, unknown>

const requests = index.filter((e) => e.classifyAs !== null)
const httpKinds = new Set(['apigw-v1', 'apigw-http-v2', 'function-url', 'alb'])
const http = requests.filter((e) => httpKinds.has(e.classifyAs as string))
const handler = lambda(testApp)
const context = { awsRequestId: 'req-1', getRemainingTimeInMillis: () => 30_000 }

type Result = Record<string, unknown>

const allowedKeys: Record<string, readonly string[]> = {
  'apigw-v1': ['statusCode', 'headers', 'multiValueHeaders', 'body', 'isBase64Encoded'],
  'apigw-http-v2': ['statusCode', 'headers', 'cookies', 'body', 'isBase64Encoded'],
  'function-url': ['statusCode', 'headers', 'cookies', 'body', 'isBase64Encoded'],
  alb: ['statusCode', 'statusDescription', 'headers', 'multiValueHeaders', 'body', 'isBase64Encoded'],
}

function isStringMap(value: unknown): boolean {
  return (
    typeof value === 'object' && value !== null && Object.values(value).every((v) => typeof v === 'string')
  )
}

function isStringListMap(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    Object.values(value).every((v) => Array.isArray(v) && v.every((x) => typeof x === 'string'))
  )
}

/** The integration's shape rules; returns what is wrong, empty when the result fits. */
function shapeErrors(kind: string, event: Result, result: Result): string[] {
  const errors: string[] = []
  for (const key of Object.keys(result)) {
    if (!allowedKeys[kind]?.includes(key)) errors.push(`unexpected key "${key}"`)
  }
  const status = result.statusCode
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599)
    errors.push('statusCode must be an integer 100-599')
  if (typeof result.body !== 'string') errors.push('body must be a string')
  if (typeof result.isBase64Encoded !== 'boolean') errors.push('isBase64Encoded must be a boolean')
  if (result.headers !== undefined && !isStringMap(result.headers)) errors.push('headers must map to strings')
  if (result.multiValueHeaders !== undefined && !isStringListMap(result.multiValueHeaders))
    errors.push('multiValueHeaders must map to string arrays')
  if (kind === 'apigw-http-v2' || kind === 'function-url') {
    if (result.headers !== undefined && 'set-cookie' in (result.headers as object))
      errors.push('set-cookie belongs in cookies')
    if (result.cookies !== undefined && !(result.cookies as unknown[]).every((c) => typeof c === 'string'))
      errors.push('cookies must be strings')
  }
  if (kind === 'alb') {
    const multi = 'multiValueHeaders' in event
    if (multi !== 'multiValueHeaders' in result)
      errors.push('multiValueHeaders must mirror the target group mode')
    if (multi === 'headers' in result) errors.push('ALB gets headers xor multiValueHeaders')
    if (result.statusDescription !== `${status} ${statusText(status as number)}`)
      errors.push(`statusDescription "${String(result.statusDescription)}" does not match the status`)
  }
  return errors
}

function statusText(status: number): string {
  return {
    200: 'OK',
    204: 'No Content',
    400: 'Bad Request',
    404: 'Not Found',
    415: 'Unsupported Media Type',
  }[status] as string
}

function jsonBody(result: Result): Record<string, unknown> {
  const text = result.isBase64Encoded
    ? Buffer.from(result.body as string, 'base64').toString('utf8')
    : (result.body as string)
  return JSON.parse(text) as Record<string, unknown>
}

function header(result: Result, name: string): string | undefined {
  const single = (result.headers as Record<string, string> | undefined)?.[name]
  return single ?? (result.multiValueHeaders as Record<string, string[]> | undefined)?.[name]?.join(', ')
}

describe('classifyEvent()', () => {
  it.each(requests.map((e) => [e.file, e.classifyAs] as const))('classifies %s as %s', (file, expected) => {
    expect(classifyEvent(load(file))).toBe(expected)
  })

  it('counts every request fixture of the index', () => {
    expect(requests.length).toBe(54)
    expect(http.length).toBe(36)
  })
})

describe('lambda() on HTTP-shaped fixtures', () => {
  it.each(http.map((e) => [e.file, e.classifyAs as string] as const))(
    'answers %s in the exact shape of %s',
    async (file, kind) => {
      const event = load(file)
      const result = (await handler(event, context)) as Result
      expect(shapeErrors(kind, event, result)).toEqual([])
      expect(header(result, 'x-request-id')).toBe('req-1')
      // Every fixture path has an operation; the failures left are text bodies sent to a JSON
      // operation (400, 415) and the escaped slash (404), answered as problem+json.
      const problem = header(result, 'content-type')?.startsWith('application/problem+json')
      if (problem) {
        expect([400, 404, 415]).toContain(result.statusCode)
        expect(jsonBody(result).code).toMatch(/^(invalid_input|not_found|unsupported_media_type)$/)
      } else {
        expect(result.statusCode).toBe(200)
        expect(jsonBody(result).surface).toBe('http')
      }
    },
  )
})

const cases: {
  description: string
  file: string
  change?: (event: Result) => void
  expected: Record<string, unknown>
}[] = [
  {
    description: 'ALB query values arrive percent-encoded and are decoded once',
    file: 'aws-lambda-rust-runtime/alb_request_encoded_query_parameters.json',
    expected: { op: 'root', input: { myKey: '?showAll=true' } },
  },
  {
    description: 'ALB multi-value query values are decoded',
    file: 'aws-lambda-dotnet/values-get-querystring-alb-mv-encoding-request.json',
    expected: {
      op: 'rawQuery',
      input: { url: 'http://www.gooogle.com', testDateTimeOffset: '2019-03-12T16:06:06.5498170+00:00' },
    },
  },
  {
    description: 'API Gateway v1 multi-value query keeps every value',
    file: 'powertools-lambda-python/apiGatewayProxyEvent.json',
    expected: { op: 'myPathGet', input: { parameter1: ['value1', 'value2'], parameter2: 'value' } },
  },
  {
    description:
      'API Gateway v2 repeated query values are kept, and a Lambda authorizer context reaches the auth hook',
    file: 'aws-lambda-go/apigw-v2-request-lambda-authorizer.json',
    expected: {
      op: 'myPathGet',
      input: { parameter1: ['value1', 'value2'], parameter2: 'value' },
      principal: { user: 'claims' },
    },
  },
  {
    description: 'a base64 v1 body is decoded before it is parsed',
    file: 'aws-sam-cli/AwsProxy.json',
    expected: { op: 'resource', input: { test: 'body' } },
  },
  {
    description: 'a base64 v2 body is decoded before it is parsed',
    file: 'aws-sam-cli/HttpApi.json',
    expected: { op: 'resource', input: { test: 'body' }, principal: { user: 'claims' } },
  },
  {
    description: 'Cognito claims of a REST authorizer reach the auth hook',
    file: 'powertools-lambda-typescript/apigw-rest-jwt-authorizer-auth.json',
    expected: { op: 'cognito', principal: { user: 'd2f50444-0041-7036-aea2-a955fca33d37' } },
  },
  {
    description: 'JWT claims of an HTTP API authorizer reach the auth hook',
    file: 'powertools-lambda-typescript/apigw-http-jwt-authorizer-auth.json',
    expected: { op: 'cognito', principal: { user: 'd2f50444-0041-7036-aea2-a955fca33d37' } },
  },
  {
    description: 'the IAM identity of a Function URL reaches the auth hook',
    file: 'aws-lambda-go/lambda-urls-request.json',
    change: (event) => {
      delete event.body
    },
    expected: { op: 'myPathPost', principal: { user: 'arn:aws:iam::111122223333:user/example-user' } },
  },
  {
    description: 'a REST Lambda authorizer context reaches the auth hook',
    file: 'aws-lambda-rust-runtime/example-apigw-request-multi-value-parameters.json',
    expected: { op: 'helloWorld', input: { a: 1 }, principal: { user: 'admin' } },
  },
]

describe('lambda() request translation', () => {
  it.each(cases)('$description', async ({ file, change, expected }) => {
    const event = load(file)
    change?.(event)
    const result = (await handler(event, context)) as Result
    expect(result.statusCode).toBe(200)
    expect(jsonBody(result)).toMatchObject(expected)
  })

  it('lambda() passes a body flagged base64 that is not base64 through as text', async () => {
    const event = load('powertools-lambda-python/apiGatewayProxyEvent_noVersionAuth.json')
    event.httpMethod = 'POST'
    const result = (await handler(event, context)) as Result
    // "Hello from Lambda!" is not JSON: the router says so instead of parsing garbage bytes.
    expect(result.statusCode).toBe(400)
    expect(jsonBody(result).detail).toContain('Cannot parse the request body as JSON')
  })
})
