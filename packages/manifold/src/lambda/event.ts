/**
 * Tells Lambda event kinds apart. The order of the checks matters: look-alikes (authorizer
 * requests, WebSocket, VPC Lattice, Bedrock agents) carry some of the keys of the events they
 * resemble, so they are ruled out before the HTTP checks (LAMBDA.md section 2).
 *
 * @module
 */

/** The kinds of event `lambda()` tells apart. */
export type EventKind =
  | 'apigw-v1'
  | 'apigw-http-v2'
  | 'function-url'
  | 'alb'
  | 'sqs'
  | 'sns'
  | 's3'
  | 'eventbridge'
  | 'direct'

/** The kinds answered through the HTTP router. */
export type HttpEventKind = 'apigw-v1' | 'apigw-http-v2' | 'function-url' | 'alb'

/** A JSON object as Lambda hands it over. */
export type EventObject = Record<string, unknown>

/** A plain object (not null, not an array). */
export function isObject(value: unknown): value is EventObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

const functionUrlDomain = /\.lambda-url\.[a-z0-9-]+\.on\.aws$/

function recordsKind(records: unknown[]): EventKind | undefined {
  const first = records[0]
  if (!isObject(first)) return undefined
  if (first.eventSource === 'aws:sqs') return 'sqs'
  if (first.EventSource === 'aws:sns') return 'sns'
  if (first.eventSource === 'aws:s3') return 's3'
  return undefined
}

function isAuthorizer(event: EventObject): boolean {
  return event.type === 'TOKEN' || event.type === 'REQUEST' || 'methodArn' in event || 'routeArn' in event
}

/**
 * Classifies one event. Anything that is not a known trigger is `direct`: a direct
 * invocation, or a look-alike that the direct route rejects with a clear error.
 *
 * @example
 * ```ts
 * import { classifyEvent } from 'manifold/lambda'
 * classifyEvent({ Records: [{ eventSource: 'aws:sqs' }] }) // 'sqs'
 * classifyEvent({ op: 'get', input: { id: '1' } }) // 'direct'
 * ```
 */
export function classifyEvent(event: unknown): EventKind {
  if (!isObject(event)) return 'direct'
  const { Records: records, requestContext: rc } = event
  if (Array.isArray(records) && records.length > 0) return recordsKind(records) ?? 'direct'
  const context = isObject(rc) ? rc : undefined
  if (context !== undefined && isObject(context.elb)) return 'alb'
  if (isAuthorizer(event)) return 'direct'
  if (
    context !== undefined &&
    event.version === '2.0' &&
    typeof event.rawPath === 'string' &&
    isObject(context.http) &&
    typeof context.http.method === 'string'
  ) {
    const domain = context.domainName
    // The last letter (the `s` of `.on.aws`) rules API Gateway's `….amazonaws.com` out before
    // the pattern runs: cheaper than `endsWith`, a builtin call on every event.
    const functionUrl =
      typeof domain === 'string' &&
      domain.charCodeAt(domain.length - 1) === 115 &&
      functionUrlDomain.test(domain)
    return functionUrl ? 'function-url' : 'apigw-http-v2'
  }
  if (
    context !== undefined &&
    typeof event.httpMethod === 'string' &&
    ('resourcePath' in context || 'resourceId' in context || 'stage' in context) &&
    !('eventType' in context)
  ) {
    return 'apigw-v1'
  }
  if (typeof event['detail-type'] === 'string' && typeof event.source === 'string' && 'detail' in event) {
    return 'eventbridge'
  }
  return 'direct'
}

/**
 * What a `direct` event that is not `{ op, input }` looks like, to name it in the error.
 * Returns undefined when it resembles no known AWS event.
 *
 * @example
 * ```ts
 * import { describeLookalike } from 'manifold/lambda'
 * describeLookalike({ type: 'TOKEN', methodArn: 'arn:…' }) // 'an API Gateway Lambda authorizer request'
 * ```
 */
export function describeLookalike(event: unknown): string | undefined {
  if (!isObject(event)) return undefined
  const rc = isObject(event.requestContext) ? event.requestContext : undefined
  if (isAuthorizer(event)) return 'an API Gateway Lambda authorizer request'
  if (rc !== undefined && 'eventType' in rc && 'connectionId' in rc) return 'an API Gateway WebSocket event'
  if (typeof event.method === 'string' && typeof event.path === 'string' && 'version' in event) {
    return 'a VPC Lattice request'
  }
  if (typeof event.apiPath === 'string' && 'messageVersion' in event) return 'a Bedrock agent action request'
  if (isObject(event.awslogs)) return 'a CloudWatch Logs subscription event'
  const records = event.Records
  if (Array.isArray(records) && isObject(records[0])) {
    const source = records[0].eventSource ?? records[0].EventSource
    if (typeof source === 'string') return `a "${source}" records event`
  }
  if (typeof event.httpMethod === 'string' || typeof event.rawPath === 'string') {
    return 'an HTTP request of an unknown integration'
  }
  return undefined
}
