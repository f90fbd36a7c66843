import { toStandardJsonSchema } from '@valibot/to-json-schema'
import { type } from 'arktype'
import { toJsonSchema, validate } from 'manifold'
import * as v from 'valibot'
import { describe, expect, it } from 'vitest'
import * as z from 'zod'

const libraries = [
  { name: 'zod 4', schema: z.object({ name: z.string(), age: z.number().optional() }) },
  { name: 'arktype', schema: type({ name: 'string', 'age?': 'number' }) },
  {
    name: 'valibot',
    schema: toStandardJsonSchema(v.object({ name: v.string(), age: v.optional(v.number()) })),
  },
]

describe.each(libraries)('$name', ({ schema }) => {
  it('validate() returns the parsed value', async () => {
    expect(await validate(schema, { name: 'Ada', age: 36 })).toEqual({
      ok: true,
      value: { name: 'Ada', age: 36 },
    })
  })

  it('validate() lists every failing field with a dotted path', async () => {
    const result = await validate(schema, { name: 1, age: 'x' })
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.errors.map((e) => e.path).sort()).toEqual(['age', 'name'])
  })

  it('toJsonSchema() gives draft 2020-12 JSON Schema for the same shape', () => {
    const json = toJsonSchema(schema)
    expect(json).toMatchObject({
      type: 'object',
      properties: { name: { type: 'string' }, age: { type: 'number' } },
      required: ['name'],
    })
    expect(json.$schema).toBeUndefined()
  })
})

describe('toJsonSchema()', () => {
  it('says how to fix a schema without Standard JSON Schema', () => {
    expect(() => toJsonSchema(v.object({ a: v.string() }))).toThrowError(
      /toStandardJsonSchema\(\) from "@valibot\/to-json-schema"/,
    )
  })

  it('validate() reports a nested path as dotted segments', async () => {
    const result = await validate(z.object({ tags: z.array(z.string()) }), { tags: ['a', 2] })
    expect(result).toMatchObject({ ok: false, errors: [{ path: 'tags.1' }] })
  })
})
