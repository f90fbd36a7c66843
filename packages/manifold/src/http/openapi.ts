/**
 * `openapi(app)`: the OpenAPI 3.1 document of an app, from the same schemas and routes that
 * serve requests. JSON Schema 2020-12 is OpenAPI 3.1's dialect, so schemas go in unchanged
 * except for `$defs`, which move to `components.schemas`.
 *
 * @module
 */
import type { AnyApp } from '../app.ts'
import { type ErrorCode, errorCodes } from '../errors.ts'
import { routesOf } from '../internal/route.ts'
import type { AnyOp } from '../op.ts'
import { problemContentType } from '../problem.ts'
import { type JsonSchema, toJsonSchema } from '../schema.ts'
import { jsonContentType } from '../serialize.ts'
import { ndjsonContentType } from './render.ts'

/** Options of {@link openapi}. */
export interface OpenapiOptions {
  /** Prefix of every path, as given to `serve({ basePath })`. */
  readonly basePath?: string | undefined
  /** `servers` of the document; defaults to none (relative to where it is served). */
  readonly servers?: readonly { readonly url: string; readonly description?: string }[]
}

/** An OpenAPI 3.1 document. */
export type OpenapiDocument = Record<string, unknown> & { readonly openapi: '3.1.0' }

function pascal(name: string): string {
  return name
    .split(/[.\-_]/)
    .filter((s) => s !== '')
    .map((s) => s[0]?.toUpperCase() + s.slice(1))
    .join('')
}

/** Moves `$defs` into components under a prefix and rewrites the `$ref`s that point at them. */
function hoist(schema: JsonSchema, prefix: string, components: Record<string, unknown>): JsonSchema {
  const defs = (schema.$defs ?? {}) as Record<string, JsonSchema>
  const rewrite = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(rewrite)
    if (typeof node !== 'object' || node === null) return node
    const out: Record<string, unknown> = {}
    for (const [key, value] of Object.entries(node)) {
      if (key === '$defs') continue
      if (key === '$ref' && typeof value === 'string') {
        if (value.startsWith('#/$defs/')) out.$ref = `#/components/schemas/${prefix}${value.slice(8)}`
        else if (value === '#') out.$ref = `#/components/schemas/${prefix}`
        else out.$ref = value
      } else out[key] = rewrite(value)
    }
    return out
  }
  for (const [name, def] of Object.entries(defs)) components[`${prefix}${name}`] = rewrite(def)
  return rewrite(schema) as JsonSchema
}

function schemaOf(op: AnyOp, io: 'input' | 'output'): JsonSchema | undefined {
  const schema = io === 'input' ? op.input : op.output
  if (schema === undefined) return undefined
  try {
    return toJsonSchema(schema, io)
  } catch {
    return { description: `The ${io} schema of "${op.name}" has no JSON Schema form` }
  }
}

const problemSchema: JsonSchema = {
  type: 'object',
  description: 'RFC 9457 problem details',
  required: ['type', 'title', 'status', 'detail', 'code'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    code: { type: 'string', enum: Object.keys(errorCodes) },
    hint: { type: 'string' },
    requestId: { type: 'string' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['path', 'message'],
        properties: { path: { type: 'string' }, message: { type: 'string' } },
      },
    },
  },
}

function problemResponses(codes: readonly ErrorCode[]): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const code of codes) {
    const status = String(errorCodes[code].status)
    if (out[status] !== undefined) continue
    out[status] = { $ref: `#/components/responses/${pascal(code)}` }
  }
  return out
}

function errorCodesOf(op: AnyOp, fromQuery: boolean, hasAuth: boolean): ErrorCode[] {
  const codes: ErrorCode[] = ['invalid_input']
  if (op.auth || hasAuth) codes.push('unauthenticated', 'permission_denied')
  codes.push('not_found')
  if (!fromQuery) codes.push('payload_too_large', 'unsupported_media_type')
  codes.push('internal')
  return codes
}

/**
 * The OpenAPI 3.1 document of an app: every HTTP route, its parameters, bodies, success and
 * problem+json error responses, tags from dotted groups, and security schemes when `auth` is set.
 *
 * @example
 * ```ts
 * import { app } from 'manifold'
 * import { openapi } from 'manifold/http'
 * const doc = openapi(app({ name: 'hello', version: '1.0.0', operations: [] }))
 * doc.openapi // '3.1.0'
 * ```
 */
export function openapi(app: AnyApp, options: OpenapiOptions = {}): OpenapiDocument {
  const base = options.basePath?.replace(/\/+$/, '') ?? ''
  const schemas: Record<string, unknown> = { Problem: problemSchema }
  const paths: Record<string, Record<string, unknown>> = {}
  const tags = new Set<string>()
  const hasAuth = app.auth !== undefined
  for (const op of app.operations) {
    const routes = routesOf(op)
    if (routes.length === 0) continue
    const prefix = pascal(op.name)
    const input = schemaOf(op, 'input')
    const output = schemaOf(op, 'output')
    if (input !== undefined) schemas[`${prefix}Input`] = hoist(input, `${prefix}Input`, schemas)
    if (output !== undefined) schemas[`${prefix}Output`] = hoist(output, `${prefix}Output`, schemas)
    const group = op.name.includes('.') ? op.name.slice(0, op.name.lastIndexOf('.')) : undefined
    if (group !== undefined) tags.add(group)
    const properties = (input?.properties ?? {}) as Record<string, JsonSchema>
    const required = new Set(Array.isArray(input?.required) ? (input.required as string[]) : [])
    const hasPost = routes.some((r) => r.method !== 'GET')
    for (const route of routes) {
      const fromQuery = route.method === 'GET'
      const params = [...route.path.matchAll(/\{([^}/]+)\}/g)].map((m) => m[1] as string)
      const parameters: unknown[] = params.map((name) => ({
        name,
        in: 'path',
        required: true,
        schema: properties[name] ?? { type: 'string' },
      }))
      if (fromQuery) {
        for (const [name, schema] of Object.entries(properties)) {
          if (params.includes(name)) continue
          const p: Record<string, unknown> = { name, in: 'query', required: required.has(name), schema }
          if (schema.type === 'array') Object.assign(p, { style: 'form', explode: true })
          parameters.push(p)
        }
      }
      const operation: Record<string, unknown> = {
        // The route that takes the whole input as JSON carries the operation's name; the client finds it.
        operationId: fromQuery && hasPost ? `${op.name}.get` : op.name,
        'x-manifold-op': op.name,
      }
      if (op.description !== undefined) operation.summary = op.description
      if (group !== undefined) operation.tags = [group]
      if (parameters.length > 0) operation.parameters = parameters
      if (!fromQuery && input !== undefined) {
        operation.requestBody = {
          required: required.size > 0,
          content: { 'application/json': { schema: { $ref: `#/components/schemas/${prefix}Input` } } },
        }
      }
      const success: Record<string, unknown> = { description: 'Success' }
      if (op.stream) {
        success.description =
          'A stream of items, one JSON value per line (or SSE with Accept: text/event-stream)'
        success.content = {
          [ndjsonContentType.split(';')[0] as string]: {
            schema: output === undefined ? {} : { $ref: `#/components/schemas/${prefix}Output` },
          },
          'text/event-stream': { schema: { type: 'string' } },
        }
      } else if (output !== undefined) {
        success.content = {
          [jsonContentType.split(';')[0] as string]: {
            schema: { $ref: `#/components/schemas/${prefix}Output` },
          },
        }
      }
      const responses: Record<string, unknown> = {
        [String(route.status)]: success,
        ...problemResponses(errorCodesOf(op, fromQuery, hasAuth)),
      }
      if (!op.stream && output === undefined && route.status !== 204) {
        responses['204'] = { description: 'Success, no content' }
      }
      operation.responses = responses
      if (op.auth) operation.security = [{ bearerAuth: [] }, { apiKeyAuth: [] }]
      else if (hasAuth) operation.security = [{}, { bearerAuth: [] }, { apiKeyAuth: [] }]
      const key = base + route.path
      paths[key] ??= {}
      ;(paths[key] as Record<string, unknown>)[route.method.toLowerCase()] = operation
    }
  }
  const responses: Record<string, unknown> = {}
  for (const [code, info] of Object.entries(errorCodes)) {
    responses[pascal(code)] = {
      description: info.title,
      content: { [problemContentType]: { schema: { $ref: '#/components/schemas/Problem' } } },
    }
  }
  const components: Record<string, unknown> = { schemas, responses }
  if (hasAuth) {
    components.securitySchemes = {
      bearerAuth: { type: 'http', scheme: 'bearer' },
      apiKeyAuth: { type: 'apiKey', in: 'header', name: 'x-api-key' },
    }
  }
  const info: Record<string, unknown> = { title: app.name, version: app.version }
  if (app.description !== undefined) info.description = app.description
  const doc: Record<string, unknown> = { openapi: '3.1.0', info }
  if (options.servers !== undefined) doc.servers = options.servers
  if (tags.size > 0) doc.tags = [...tags].sort().map((name) => ({ name }))
  doc.paths = paths
  doc.components = components
  return doc as OpenapiDocument
}

/** The document as the body of `GET /openapi.json`. */
export function openapiText(app: AnyApp, basePath?: string): string {
  return `${JSON.stringify(openapi(app, { basePath }), null, 2)}\n`
}
