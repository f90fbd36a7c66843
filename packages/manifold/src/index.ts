/**
 * manifold: write typed operations once; serve them as a CLI, an HTTP API, an AWS Lambda
 * function and an MCP server. This entry is the core: no I/O, no runtime dependencies.
 *
 * @module
 */
export {
  type AnyApp,
  type App,
  type AppOptions,
  type AuthContext,
  type AuthHook,
  app,
  type Credentials,
  type DepsFactory,
  type InputOf,
  type OpName,
  type OpOf,
  type OutputOf,
} from './app.ts'
export type { Config, Context, Deps, Principal, ProgressFn, Register, Surface } from './context.ts'
export {
  Cancelled,
  Conflict,
  createError,
  type ErrorClass,
  type ErrorCode,
  type ErrorCodeInfo,
  errorCodes,
  type FieldError,
  Internal,
  InvalidInput,
  isErrorCode,
  isManifoldError,
  ManifoldError,
  type ManifoldErrorOptions,
  NotFound,
  PayloadTooLarge,
  PermissionDenied,
  RateLimited,
  Timeout,
  toManifoldError,
  Unauthenticated,
  Unavailable,
  UnsupportedMediaType,
  UsageError,
} from './errors.ts'
// Public for tools that describe an app's HTTP surface (deploy templates, gateways) without serving it.
export { type OpRoute, routesOf } from './internal/route.ts'
export { type CallOptions, type InvokeResult, invoke } from './invoke.ts'
export { type CreateLoggerOptions, createLogger, type Logger, type LogLevel } from './log.ts'
export { type ExtensionOf, type Middleware, middleware, type Next, type NextResult } from './middleware.ts'
export {
  type AnyOp,
  type HandlerReturn,
  type HttpMethod,
  type Op,
  type OpCli,
  type OpHttp,
  type OpMcp,
  type OpOptions,
  type OpTypes,
  op,
} from './op.ts'
export {
  fromProblem,
  isProblem,
  type Problem,
  problemContentType,
  problemTypeBase,
  toProblem,
} from './problem.ts'
export { type Runtime, runtimeOf, type StartAppOptions, startApp, stopApp } from './runtime.ts'
export {
  type AnySchema,
  invalidInput,
  isStandardSchema,
  issuePath,
  type JsonSchema,
  type StandardJSONSchemaV1,
  type StandardSchemaV1,
  toJsonSchema,
  type ValidateResult,
  validate,
} from './schema.ts'
export { jsonContentType, toJson } from './serialize.ts'
