/**
 * MCP tool definitions of an app: one tool per operation, named, described and typed from
 * the operation alone. Pure data, no SDK: `tools/list` answers with {@link toolsOf}.
 *
 * @module
 */
import type { AnyApp } from '../app.ts'
import type { AnyOp } from '../op.ts'
import { type JsonSchema, toJsonSchema } from '../schema.ts'

/** MCP tool annotations derived from an operation's hints. */
export interface ToolAnnotations {
  readonly title?: string
  readonly readOnlyHint: boolean
  readonly destructiveHint: boolean
  readonly idempotentHint: boolean
}

/** One tool as `tools/list` returns it, plus how its values are shaped. */
export interface ToolDefinition {
  readonly name: string
  readonly title?: string
  readonly description?: string
  readonly inputSchema: JsonSchema
  readonly outputSchema?: JsonSchema
  readonly annotations: ToolAnnotations
}

/** A tool bound to its operation, with the shape decisions made once. */
export interface Tool {
  readonly op: AnyOp
  readonly definition: ToolDefinition
  /** The arguments are `{ input: … }` because the input schema is not an object. */
  readonly wrapsInput: boolean
  /** How a result becomes `structuredContent`: `always` wrap as `{ result }`, `never`, or by value. */
  readonly wrapsResult: 'always' | 'never' | 'auto'
}

const namePattern = /^[A-Za-z0-9_-]{1,64}$/

/**
 * The tool name of an operation: `mcp.name`, or the operation name with dots as `_`.
 * Throws a `TypeError` for a name MCP clients reject (over 64 characters, or characters
 * outside `[A-Za-z0-9_-]`).
 *
 * @example
 * ```ts
 * import { op } from 'manifold'
 * import { toolName } from 'manifold/mcp'
 * toolName(op({ name: 'tags.list', handler: () => [] })) // 'tags_list'
 * ```
 */
export function toolName(operation: AnyOp): string {
  const name =
    (operation.mcp === false ? undefined : operation.mcp.name) ?? operation.name.replaceAll('.', '_')
  if (!namePattern.test(name)) {
    throw new TypeError(
      `Operation "${operation.name}" has MCP tool name "${name}": use 1 to 64 characters from A-Z, a-z, 0-9, "_" and "-" (set mcp: { name: "…" })`,
    )
  }
  return name
}

/** MCP reads a schema without `$schema` as 2020-12 too; saying so helps strict clients. */
const draft = 'https://json-schema.org/draft/2020-12/schema'

function withDialect(schema: JsonSchema): JsonSchema {
  return { $schema: draft, ...schema }
}

function isObjectRoot(schema: JsonSchema): boolean {
  return schema.type === 'object'
}

const emptyInput: JsonSchema = { type: 'object', properties: {}, additionalProperties: false }

function wrap(key: string, schema: JsonSchema): JsonSchema {
  return { type: 'object', properties: { [key]: schema }, required: [key], additionalProperties: false }
}

function inputOf(operation: AnyOp): { schema: JsonSchema; wraps: boolean } {
  if (operation.input === undefined) return { schema: emptyInput, wraps: false }
  const schema = toJsonSchema(operation.input, 'input')
  // MCP arguments are always an object; any other input travels as `{ input }`.
  return isObjectRoot(schema) ? { schema, wraps: false } : { schema: wrap('input', schema), wraps: true }
}

function outputOf(operation: AnyOp): { schema: JsonSchema | undefined; wraps: Tool['wrapsResult'] } {
  if (operation.output === undefined) {
    return operation.stream
      ? { schema: wrap('result', { type: 'array' }), wraps: 'always' }
      : { schema: undefined, wraps: 'auto' }
  }
  const schema = toJsonSchema(operation.output, 'output')
  // A stream is collected into an array; structuredContent must be an object, so arrays and
  // other non-object results travel as `{ result }` and the schema says so.
  if (operation.stream) return { schema: wrap('result', { type: 'array', items: schema }), wraps: 'always' }
  return isObjectRoot(schema)
    ? { schema, wraps: 'never' }
    : { schema: wrap('result', schema), wraps: 'always' }
}

/** Builds the tool of one operation (no name checks across the app). */
export function toTool(operation: AnyOp): Tool {
  const name = toolName(operation)
  const title = operation.mcp === false ? undefined : operation.mcp.title
  const input = inputOf(operation)
  const output = outputOf(operation)
  const annotations: ToolAnnotations = {
    ...(title === undefined ? {} : { title }),
    // MCP assumes a tool is destructive unless told otherwise, so every hint is explicit.
    readOnlyHint: operation.readOnly,
    destructiveHint: operation.destructive,
    idempotentHint: operation.idempotent,
  }
  const definition: ToolDefinition = {
    name,
    ...(title === undefined ? {} : { title }),
    ...(operation.description === undefined ? {} : { description: operation.description }),
    inputSchema: withDialect(input.schema),
    ...(output.schema === undefined ? {} : { outputSchema: withDialect(output.schema) }),
    annotations,
  }
  return { op: operation, definition, wrapsInput: input.wraps, wrapsResult: output.wraps }
}

const cache = new WeakMap<AnyApp, ReadonlyMap<string, Tool>>()

/**
 * The MCP tools of an app by name, built once: operations with `mcp: false` are left out.
 * Throws a `TypeError` when a name is invalid or two operations get the same tool name.
 *
 * @example
 * ```ts
 * import { app, op } from 'manifold'
 * import { toolsOf } from 'manifold/mcp'
 * const hello = app({ name: 'hello', version: '1.0.0', operations: [op({ name: 'greet', handler: () => 'hi' })] })
 * toolsOf(hello).get('greet')?.definition.annotations.readOnlyHint // false
 * ```
 */
export function toolsOf(target: AnyApp): ReadonlyMap<string, Tool> {
  const cached = cache.get(target)
  if (cached !== undefined) return cached
  const tools = new Map<string, Tool>()
  for (const operation of target.operations) {
    if (operation.mcp === false) continue
    const tool = toTool(operation)
    const other = tools.get(tool.definition.name)
    if (other !== undefined) {
      throw new TypeError(
        `Operations "${other.op.name}" and "${operation.name}" both become MCP tool "${tool.definition.name}"; give one of them mcp: { name: "…" }`,
      )
    }
    tools.set(tool.definition.name, tool)
  }
  cache.set(target, tools)
  return tools
}
