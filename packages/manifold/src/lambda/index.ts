/**
 * `manifold/lambda`: the app as an AWS Lambda handler for every trigger: API Gateway REST
 * and HTTP APIs, Function URLs (with response streaming), ALB, SQS with partial batch
 * failures, EventBridge and scheduled rules, and direct invocations. No dependencies, and
 * nothing of the CLI, the HTTP server, OpenAPI or MCP comes along in a bundle.
 *
 * @example
 * ```ts
 * import { lambda } from 'manifold/lambda'
 * import notes from '../core/app.ts'
 * export const handler = lambda(notes, { sqs: { op: 'import' } })
 * ```
 *
 * @module
 */
export { type Deadline, startDeadline } from './deadline.ts'
export { classifyEvent, describeLookalike, type EventKind, type HttpEventKind } from './event.ts'
export { type LambdaHandler, type LambdaOptions, lambda } from './handle.ts'
export type { RecordOutcome, SqsOptions } from './sqs.ts'
export { toHttpRequest } from './to-request.ts'
export { statusDescription, toEventResult } from './to-result.ts'
export type {
  AlbResult,
  ApiGatewayV1Result,
  ApiGatewayV2Result,
  HttpEventResult,
  LambdaContext,
  SqsBatchResponse,
} from './types.ts'
