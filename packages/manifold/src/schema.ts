/**
 * Standard Schema helpers: validation into field errors, and JSON Schema (draft 2020-12)
 * through the Standard JSON Schema interface.
 *
 * @module
 */
import { type FieldError, InvalidInput, type ManifoldError } from './errors.ts'
import type { StandardJSONSchemaV1, StandardSchemaV1 } from './vendor/standard-schema.ts'

export type { StandardJSONSchemaV1, StandardSchemaV1 }

/** Any Standard Schema. */
export type AnySchema = StandardSchemaV1

/** A JSON Schema document (draft 2020-12). */
export type JsonSchema = Record<string, unknown>

/** The outcome of {@link validate}: the parsed value or the failing fields. */
export type ValidateResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly errors: FieldError[] }

function segmentKey(segment: PropertyKey | StandardSchemaV1.PathSegment): PropertyKey {
  return typeof segment === 'object' && segment !== null ? segment.key : segment
}

/** Dotted path of a Standard Schema issue: `['tags', 0]` becomes `tags.0`. */
export function issuePath(issue: StandardSchemaV1.Issue): string {
  return (issue.path ?? []).map((s) => String(segmentKey(s))).join('.')
}

/** Tells whether a value is a Standard Schema. */
export function isStandardSchema(value: unknown): value is StandardSchemaV1 {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return false
  const props = (value as { '~standard'?: { version?: unknown; validate?: unknown } })['~standard']
  return typeof props === 'object' && props !== null && typeof props.validate === 'function'
}

function toResult<T>(result: StandardSchemaV1.Result<T>): ValidateResult<T> {
  if (result.issues === undefined) return { ok: true, value: result.value }
  return {
    ok: false,
    errors: result.issues.map((issue) => ({ path: issuePath(issue), message: issue.message })),
  }
}

/**
 * Validates a value against any Standard Schema; never throws for bad input.
 *
 * @example
 * ```ts
 * import * as z from 'zod'
 * import { validate } from 'manifold'
 * const r = await validate(z.object({ n: z.number() }), { n: 'x' })
 * if (!r.ok) r.errors[0]?.path // 'n'
 * ```
 */
export function validate<S extends StandardSchemaV1>(
  schema: S,
  value: unknown,
):
  | ValidateResult<StandardSchemaV1.InferOutput<S>>
  | Promise<ValidateResult<StandardSchemaV1.InferOutput<S>>> {
  const result = schema['~standard'].validate(value) as StandardSchemaV1.Result<
    StandardSchemaV1.InferOutput<S>
  >
  if (result instanceof Promise) return result.then(toResult)
  return toResult(result)
}

/** The `invalid_input` error for a list of failing fields, with every field named. */
export function invalidInput(errors: readonly FieldError[], what = 'input'): ManifoldError {
  const list = errors.map((e) => (e.path === '' ? e.message : `${e.path}: ${e.message}`)).join('; ')
  return new InvalidInput(`Invalid ${what}: ${list}`, { errors })
}

const cache = new WeakMap<object, { input?: JsonSchema; output?: JsonSchema }>()

/**
 * JSON Schema (draft 2020-12) of a Standard Schema, for help, OpenAPI and MCP. Cached per
 * schema. Throws a `TypeError` that says how to fix a schema without the Standard JSON
 * Schema interface.
 *
 * @example
 * ```ts
 * import * as z from 'zod'
 * import { toJsonSchema } from 'manifold'
 * toJsonSchema(z.object({ id: z.string() })).properties // { id: { type: 'string' } }
 * ```
 */
export function toJsonSchema(schema: StandardSchemaV1, io: 'input' | 'output' = 'input'): JsonSchema {
  const cached = cache.get(schema)?.[io]
  if (cached !== undefined) return cached
  const props = schema['~standard'] as Partial<StandardJSONSchemaV1.Props>
  if (typeof props.jsonSchema?.[io] !== 'function') {
    throw new TypeError(
      `Cannot derive JSON Schema from a "${schema['~standard'].vendor}" schema: it does not implement Standard JSON Schema. ` +
        'Use zod 4 (import * as z from "zod") or arktype 2.2+, or wrap a valibot schema with toStandardJsonSchema() from "@valibot/to-json-schema"',
    )
  }
  const json = props.jsonSchema[io]({ target: 'draft-2020-12' })
  const { $schema: _ignored, ...rest } = json
  const entry = cache.get(schema) ?? {}
  entry[io] = rest
  cache.set(schema, entry)
  return rest
}
