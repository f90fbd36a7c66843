/**
 * `lambda(app)`: one handler for every trigger. HTTP-shaped events go through the HTTP
 * adapter's router and renderer; SQS, EventBridge and direct invocations call `invoke`
 * straight. Nothing runs at import time, and `deps` live as long as the execution environment.
 *
 * @module
 */

import {
  createResponder,
  type HttpRequest,
  type HttpResponse,
  type PlainHandlerOptions,
  problemResponse,
} from '../http/handle.ts'
import type { AnyApp, CallOptions, Logger, ManifoldError, OpName } from '../index.ts'
import { startApp, toManifoldError, UsageError } from '../index.ts'
import { type McpFetch, mcpBridgeKey } from '../internal/mcp-key.ts'
import { isAsyncIterable, runOperation } from '../invoke.ts'
import { type InvocationDeadline, invocationDeadline } from './deadline.ts'
import { classifyEvent, describeLookalike, type EventObject, type HttpEventKind } from './event.ts'
import { handleSqs, type SqsOptions } from './sqs.ts'
import { toHttpRequest } from './to-request.ts'
import { renderEventResult, toV2 } from './to-result.ts'
import type { LambdaContext } from './types.ts'

/** Options of {@link lambda}. */
export interface LambdaOptions<Name extends string = string> {
  /** SQS: bind the queue to one operation, and choose what happens to non-retryable failures. */
  readonly sqs?: SqsOptions<Name>
  /** EventBridge (and scheduled rules): `{ '<detail-type>': '<operation>' }`; `detail` is the input. */
  readonly events?: Readonly<Record<string, Name>>
  /**
   * MCP on `/mcp` of HTTP-shaped events: `mcpHandler(app)` from `manifold/mcp` (a handler of
   * your own: `withMcpBridge(handler)` from `manifold/http`). It carries the code that bridges
   * it to the HTTP router, so that a bundle without MCP carries none of it.
   */
  readonly mcp?: McpFetch
  /**
   * Options of the HTTP router (body limit, base path, CORS as `cors(options)` from
   * `manifold/http`). The access log is off by default: API Gateway and ALB keep their own.
   */
  readonly http?: Omit<PlainHandlerOptions, 'mcp'>
  /** Milliseconds before the Lambda timeout at which `ctx.signal` aborts with `timeout`; defaults to 500. */
  readonly deadlineMargin?: number
  /** Streams Function URL responses (`InvokeMode: RESPONSE_STREAM`) when the runtime provides `awslambda.streamifyResponse`. */
  readonly stream?: boolean
  /** Logger for SQS record failures and calls; defaults to the app's. */
  readonly log?: Logger
}

/** The handler `lambda()` returns: two parameters, as the Node.js runtime requires. */
export type LambdaHandler = (event: unknown, context?: LambdaContext) => Promise<unknown>

interface ResponseStream {
  write(chunk: string | Uint8Array): unknown
  end(): unknown
}

interface AwsLambdaGlobal {
  streamifyResponse(
    handler: (event: unknown, stream: ResponseStream, context: LambdaContext) => Promise<void>,
  ): LambdaHandler
  HttpResponseStream: {
    from(stream: ResponseStream, prelude: Record<string, unknown>): ResponseStream
  }
}

/** The error a direct, EventBridge or unsupported invocation fails with: `errorType` is the code. */
function lambdaError(error: unknown): Error {
  const failure = toManifoldError(error)
  const out = new Error(failure.message)
  out.name = failure.code
  if (failure.hint !== undefined) Object.assign(out, { hint: failure.hint })
  if (failure.errors.length > 0) Object.assign(out, { errors: failure.errors })
  // The Node runtime returns `error.stack` to the invoker as `trace`: keep frames and bundle
  // paths out of it (the cause is in the app's log).
  out.stack = `${out.name}: ${out.message}`
  return out
}

async function collectItems(result: AsyncIterable<unknown>): Promise<unknown[]> {
  const items: unknown[] = []
  for await (const item of result) items.push(item)
  return items
}

function unsupported(kind: string, hint: string): ManifoldError {
  return new UsageError(`${kind} events are not supported by manifold/lambda`, { hint })
}

function directCall(event: unknown): { op: string; input: unknown } {
  const call = event as { op?: unknown; input?: unknown } | null
  if (typeof call === 'object' && call !== null && !Array.isArray(call) && typeof call.op === 'string') {
    return { op: call.op, input: call.input }
  }
  const looksLike = describeLookalike(event)
  throw new UsageError(
    looksLike === undefined
      ? 'Cannot route this event: it is not a known trigger and has no "op"'
      : `Cannot route this event: it looks like ${looksLike}, which manifold/lambda does not handle`,
    { hint: 'Invoke the function with {"op": "<name>", "input": {…}}, or point a supported trigger at it' },
  )
}

/**
 * Creates the Lambda handler of an app. It tells the trigger apart by the event's shape:
 * API Gateway REST and HTTP APIs, Function URLs and ALB answer like `serve()`; SQS records
 * are calls with partial batch failures; EventBridge detail-types bind to operations;
 * `{ "op", "input" }` is a direct call.
 *
 * @example
 * ```ts
 * import { lambda } from 'manifold/lambda'
 * import notes from './app.ts'
 * export const handler = lambda(notes, {
 *   sqs: { op: 'import' },
 *   events: { 'Scheduled Event': 'cleanup' },
 * })
 * ```
 */
export function lambda<A extends AnyApp>(app: A, options: LambdaOptions<OpName<A>> = {}): LambdaHandler {
  const margin = options.deadlineMargin ?? 500
  let http: ((req: HttpRequest) => HttpResponse | Promise<HttpResponse>) | undefined
  let log: Logger | undefined = options.log
  const mcp = options.mcp
  const bridge = mcp?.[mcpBridgeKey]
  if (mcp !== undefined && bridge === undefined) {
    throw new TypeError(
      'lambda(app, { mcp }) takes mcpHandler(app) from manifold/mcp; wrap a handler of your own with withMcpBridge() from manifold/http',
    )
  }

  // Every route below settles synchronously when the call does (no timer, no race, no
  // microtask); only a pending call arms the deadline and races it.
  const answerHttp = (
    kind: HttpEventKind,
    event: EventObject,
    context: LambdaContext | undefined,
    deadline: InvocationDeadline | undefined,
  ): HttpResponse | Promise<HttpResponse> => {
    http ??= createResponder(app, {
      accessLog: false,
      ...options.http,
      ...(mcp === undefined || bridge === undefined ? {} : { mcp: bridge(mcp) }),
    })
    const request = toHttpRequest(kind, event)
    if (deadline !== undefined) request.abort = deadline
    if (context?.awsRequestId !== undefined) request.requestId = context.awsRequestId
    const res = http(request)
    if (!(res instanceof Promise) || deadline === undefined) return res
    // Only the deadline race rejects: the router renders every other failure itself.
    return deadline
      .race(res)
      .catch((error: unknown) => problemResponse(toManifoldError(error), request.requestId ?? ''))
  }

  const call = (
    op: string,
    input: unknown,
    requestId: string | undefined,
    deadline: InvocationDeadline | undefined,
  ): unknown => {
    const options: CallOptions = {
      surface: 'lambda',
      ...(requestId === undefined ? {} : { requestId }),
      ...(log === undefined ? {} : { log }),
    }
    const result = runOperation(app, op, input, options, undefined, deadline)
    if (!(result instanceof Promise) && !isAsyncIterable(result)) return result
    const pending = Promise.resolve(result).then((r) => (isAsyncIterable(r) ? collectItems(r) : r))
    return deadline === undefined ? pending : deadline.race(pending)
  }

  const route = (
    event: unknown,
    context: LambdaContext | undefined,
    deadline: InvocationDeadline | undefined,
  ): unknown => {
    const kind = classifyEvent(event)
    const requestId = context?.awsRequestId
    switch (kind) {
      case 'apigw-v1':
      case 'apigw-http-v2':
      case 'function-url':
      case 'alb': {
        const e = event as EventObject
        const multi = 'multiValueHeaders' in e
        const res = answerHttp(kind, e, context, deadline)
        return res instanceof Promise
          ? res.then((r) => renderEventResult(kind, r, multi))
          : renderEventResult(kind, res, multi)
      }
      case 'sqs': {
        // A bad config fails the whole batch (every record comes back), never one record as
        // `invalid_input`, which `nonRetryable: 'drop'` would delete.
        deadline?.arm()
        return startApp(app).then((runtime) => {
          log ??= runtime.log
          const signal = deadline === undefined ? {} : { signal: deadline.abortSignal() }
          return handleSqs(
            app,
            event as EventObject,
            options.sqs ?? {},
            { surface: 'lambda', log, ...signal },
            deadline,
          )
        })
      }
      case 'eventbridge': {
        const e = event as { 'detail-type': string; detail: unknown; id?: unknown }
        const op = options.events?.[e['detail-type']]
        if (op === undefined) {
          throw new UsageError(`No operation is bound to EventBridge detail-type "${e['detail-type']}"`, {
            hint: `Bind it with lambda(app, { events: { '${e['detail-type']}': '<operation>' } })`,
          })
        }
        return call(op, e.detail, typeof e.id === 'string' ? e.id : requestId, deadline)
      }
      case 'sns':
        throw unsupported(
          'SNS',
          'Subscribe an SQS queue to the topic and bind the queue with lambda(app, { sqs })',
        )
      case 's3':
        throw unsupported(
          'S3',
          'Send the bucket notifications to EventBridge and bind them with lambda(app, { events })',
        )
      default: {
        const { op, input } = directCall(event)
        return call(op, input, requestId, deadline)
      }
    }
  }

  const handler: LambdaHandler = async (event, context) => {
    const deadline = invocationDeadline(context, margin)
    try {
      const result = route(event, context, deadline)
      return result instanceof Promise ? await result : result
    } catch (error) {
      throw lambdaError(error)
    } finally {
      deadline?.release()
    }
  }

  const aws = (globalThis as { awslambda?: AwsLambdaGlobal }).awslambda
  if (options.stream !== true || aws === undefined) return handler
  return aws.streamifyResponse(async (event, stream, context) => {
    if (classifyEvent(event) !== 'function-url') {
      const result = await handler(event, context)
      stream.write(result === undefined ? '' : JSON.stringify(result))
      stream.end()
      return
    }
    const deadline = invocationDeadline(context, margin)
    try {
      deadline?.arm()
      const res = await answerHttp('function-url', event as EventObject, context, deadline)
      // The prelude is the v2 result without its body: status, headers, cookies.
      const { body: _body, isBase64Encoded: _base64, ...prelude } = toV2(res, '', false)
      const out = aws.HttpResponseStream.from(stream, prelude)
      const body = res.body
      if (body !== undefined && typeof body === 'object' && !(body instanceof Uint8Array)) {
        for await (const chunk of body) out.write(chunk)
      } else if (body !== undefined) {
        out.write(body)
      }
      out.end()
    } finally {
      deadline?.clear()
    }
  })
}
