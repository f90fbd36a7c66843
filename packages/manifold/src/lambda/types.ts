/**
 * Shapes of the Lambda platform, described here so that no AWS SDK or `@types/aws-lambda`
 * is needed (types only, nothing at run time).
 *
 * @module
 */

/** The context object the Node.js runtime passes as the handler's second argument. */
export interface LambdaContext {
  readonly awsRequestId?: string
  readonly functionName?: string
  readonly functionVersion?: string
  readonly invokedFunctionArn?: string
  /** A string: the runtime copies the environment variable. */
  readonly memoryLimitInMB?: string
  readonly logGroupName?: string
  readonly logStreamName?: string
  /** Milliseconds left before Lambda stops the invocation. */
  getRemainingTimeInMillis?(): number
  callbackWaitsForEmptyEventLoop?: boolean
}

/** What an API Gateway REST (payload 1.0) integration expects back. */
export interface ApiGatewayV1Result {
  statusCode: number
  headers?: Record<string, string>
  multiValueHeaders?: Record<string, string[]>
  body: string
  isBase64Encoded: boolean
}

/** What an HTTP API (payload 2.0) or a Function URL expects back. */
export interface ApiGatewayV2Result {
  statusCode: number
  headers?: Record<string, string>
  cookies?: string[]
  body: string
  isBase64Encoded: boolean
}

/** What an Application Load Balancer target expects back. */
export interface AlbResult {
  statusCode: number
  statusDescription: string
  headers?: Record<string, string>
  multiValueHeaders?: Record<string, string[]>
  body: string
  isBase64Encoded: boolean
}

/** The SQS partial batch response. */
export interface SqsBatchResponse {
  batchItemFailures: { itemIdentifier: string }[]
}

/** Any result of the handler for an HTTP-shaped event. */
export type HttpEventResult = ApiGatewayV1Result | ApiGatewayV2Result | AlbResult
