/**
 * Runs one tool call through `invoke` and shapes the MCP result: `structuredContent` is
 * the HTTP body's value, the text content is that JSON, and failures are `isError` results
 * carrying the problem details (as text always, as structured content when it cannot clash
 * with an output schema). No SDK here; the server wires it to `tools/call`.
 *
 * @module
 */
import type { AnyApp, Credentials } from '../app.ts'
import { type ManifoldError, toManifoldError } from '../errors.ts'
import { invoke } from '../invoke.ts'
import { toProblem } from '../problem.ts'
import { toJson } from '../serialize.ts'
import type { Tool } from './tools.ts'

/** A `tools/call` result (the subset manifold produces). */
export interface ToolResult {
  readonly content: { readonly type: 'text'; readonly text: string }[]
  readonly structuredContent?: Record<string, unknown>
  readonly isError?: true
}

/** What a transport hands to {@link callTool}. */
export interface ToolCallOptions {
  /** Aborted by a cancellation notification or a client disconnect. */
  readonly signal?: AbortSignal
  /** Sends a progress notification; absent when the client gave no progress token. */
  readonly progress?: (progress: number, total: number | undefined, message: string | undefined) => void
  /** Credentials found on the request (HTTP), for the app's auth hook. */
  readonly credentials?: Omit<Credentials, 'surface'>
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** The success result: the same JSON as the HTTP body, wrapped as `{ result }` when not an object. */
export function toToolResult(tool: Tool, value: unknown): ToolResult {
  if (value === undefined) return { content: [] }
  const text = toJson(value)
  const json: unknown = JSON.parse(text)
  const wraps = tool.wrapsResult === 'always' || (tool.wrapsResult === 'auto' && !isPlainObject(json))
  return {
    content: [{ type: 'text', text: text.slice(0, -1) }],
    structuredContent: wraps ? { result: json } : (json as Record<string, unknown>),
  }
}

/**
 * The error result: `isError` with the problem details as text, and as structured content
 * when the tool declares no output schema. Clients on the v1 TypeScript SDK (the Inspector,
 * many desktop clients) validate even an error's structured content against the output
 * schema, and would turn the problem into a protocol failure the agent cannot read.
 */
export function toToolError(error: ManifoldError, requestId?: string, structured = true): ToolResult {
  const problem = toProblem(error, requestId)
  return {
    content: [{ type: 'text', text: JSON.stringify(problem) }],
    ...(structured ? { structuredContent: { ...problem } } : {}),
    isError: true,
  }
}

/** Keeps progress strictly increasing, as MCP requires; a report that is not is dropped. */
function monotonic(send: NonNullable<ToolCallOptions['progress']>): NonNullable<ToolCallOptions['progress']> {
  let last = Number.NEGATIVE_INFINITY
  return (progress, total, message) => {
    if (!(progress > last)) return
    last = progress
    send(progress, total, message)
  }
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof (value as AsyncIterable<unknown> | null)?.[Symbol.asyncIterator] === 'function'
}

async function collect(
  items: AsyncIterable<unknown>,
  progress: ToolCallOptions['progress'],
): Promise<unknown[]> {
  const all: unknown[] = []
  for await (const item of items) {
    all.push(item)
    progress?.(all.length, undefined, undefined)
  }
  return all
}

/**
 * Calls the tool's operation with the client's arguments and returns the tool result.
 * Never throws: every failure becomes an `isError` result.
 */
export async function callTool(
  target: AnyApp,
  tool: Tool,
  args: Record<string, unknown> | undefined,
  options: ToolCallOptions = {},
): Promise<ToolResult> {
  const requestId = crypto.randomUUID()
  const progress = options.progress === undefined ? undefined : monotonic(options.progress)
  const input = tool.wrapsInput ? args?.input : args
  try {
    const result: unknown = await invoke(target, tool.op.name, input as never, {
      surface: 'mcp',
      requestId,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
      ...(progress === undefined ? {} : { onProgress: progress }),
    })
    // A handler may return an AsyncIterable without being a generator: collect it all the same.
    if (isAsyncIterable(result))
      return toToolResult({ ...tool, wrapsResult: 'always' }, await collect(result, progress))
    return toToolResult(tool, result)
  } catch (error) {
    return toToolError(toManifoldError(error), requestId, tool.definition.outputSchema === undefined)
  }
}
