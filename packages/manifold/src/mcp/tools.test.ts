import { app, op } from 'manifold'
import { toolName, toolsOf } from 'manifold/mcp'
import { describe, expect, it } from 'vitest'
import * as z from 'zod'

const noop = () => undefined
const $schema = 'https://json-schema.org/draft/2020-12/schema'

describe('toolName()', () => {
  it.each([
    { description: 'keeps a plain name', name: 'greet', mcp: undefined, expected: 'greet' },
    {
      description: 'turns dots into underscores',
      name: 'notes.tags.list',
      mcp: undefined,
      expected: 'notes_tags_list',
    },
    { description: 'keeps dashes', name: 'notes.re-index', mcp: undefined, expected: 'notes_re-index' },
    {
      description: 'takes the mcp.name override',
      name: 'notes.rm',
      mcp: { name: 'delete_note' },
      expected: 'delete_note',
    },
    {
      description: 'accepts 64 characters',
      name: `a${'b'.repeat(63)}`,
      mcp: undefined,
      expected: `a${'b'.repeat(63)}`,
    },
  ])('$description', ({ name, mcp, expected }) => {
    expect(toolName(op({ name, handler: noop, ...(mcp === undefined ? {} : { mcp }) }))).toBe(expected)
  })

  it.each([
    {
      description: 'a name over 64 characters',
      name: `a${'b'.repeat(64)}`,
      mcp: undefined,
      bad: `a${'b'.repeat(64)}`,
    },
    { description: 'an override with a space', name: 'x', mcp: { name: 'delete note' }, bad: 'delete note' },
    { description: 'an override with a dot', name: 'x', mcp: { name: 'notes.rm' }, bad: 'notes.rm' },
    { description: 'an empty override', name: 'x', mcp: { name: '' }, bad: '' },
  ])('rejects $description, saying what to use', ({ name, mcp, bad }) => {
    const operation = op({ name, handler: noop, ...(mcp === undefined ? {} : { mcp }) })
    expect(() => toolName(operation)).toThrow(
      new TypeError(
        `Operation "${name}" has MCP tool name "${bad}": use 1 to 64 characters from A-Z, a-z, 0-9, "_" and "-" (set mcp: { name: "…" })`,
      ),
    )
  })
})

describe('toolsOf()', () => {
  it('leaves out operations with mcp: false', () => {
    const target = app({
      name: 't',
      version: '1.0.0',
      operations: [op({ name: 'a', handler: noop }), op({ name: 'b', mcp: false, handler: noop })],
    })
    expect([...toolsOf(target).keys()]).toEqual(['a'])
  })

  it('rejects two operations that become the same tool', () => {
    const target = app({
      name: 't',
      version: '1.0.0',
      operations: [op({ name: 'a.b', handler: noop }), op({ name: 'a_b', handler: noop })],
    })
    expect(() => toolsOf(target)).toThrow(
      'Operations "a.b" and "a_b" both become MCP tool "a_b"; give one of them mcp: { name: "…" }',
    )
  })

  it.each([
    {
      description: 'no hints',
      hints: {},
      expected: { readOnlyHint: false, idempotentHint: false, destructiveHint: false },
    },
    {
      description: 'readOnly (which implies idempotent)',
      hints: { readOnly: true },
      expected: { readOnlyHint: true, idempotentHint: true, destructiveHint: false },
    },
    {
      description: 'destructive and idempotent',
      hints: { destructive: true, idempotent: true },
      expected: { readOnlyHint: false, idempotentHint: true, destructiveHint: true },
    },
  ])('sets every annotation explicitly for $description', ({ hints, expected }) => {
    const target = app({
      name: 't',
      version: '1.0.0',
      operations: [op({ name: 'x', handler: noop, ...hints })],
    })
    expect(toolsOf(target).get('x')?.definition.annotations).toEqual(expected)
  })

  it.each([
    {
      description: 'an object output as is',
      output: z.object({ id: z.string() }),
      stream: false,
      schema: {
        $schema,
        type: 'object',
        properties: { id: { type: 'string' } },
        required: ['id'],
        additionalProperties: false,
      },
      wraps: 'never',
    },
    {
      description: 'a string output as { result }',
      output: z.string(),
      stream: false,
      schema: {
        $schema,
        type: 'object',
        properties: { result: { type: 'string' } },
        required: ['result'],
        additionalProperties: false,
      },
      wraps: 'always',
    },
    {
      description: 'a nullable object as { result }',
      output: z.object({ id: z.string() }).nullable(),
      stream: false,
      wraps: 'always',
    },
    {
      description: 'a stream as { result: [items] }',
      output: z.object({ n: z.number() }),
      stream: true,
      wraps: 'always',
    },
  ])('declares $description', ({ output, stream, schema, wraps }) => {
    const handler = stream
      ? async function* () {
          yield { n: 1 }
        }
      : () => ({ id: '1' })
    const target = app({
      name: 't',
      version: '1.0.0',
      operations: [op({ name: 'x', output, handler } as never)],
    })
    const tool = toolsOf(target).get('x')
    expect(tool?.wrapsResult).toBe(wraps)
    expect(tool?.definition.outputSchema?.type).toBe('object')
    if (schema !== undefined) expect(tool?.definition.outputSchema).toEqual(schema)
    if (stream) expect(tool?.definition.outputSchema?.properties).toMatchObject({ result: { type: 'array' } })
  })

  it('wraps a non-object input as { input }', () => {
    const target = app({
      name: 't',
      version: '1.0.0',
      operations: [op({ name: 'x', input: z.array(z.string()), handler: (items) => items.length })],
    })
    const tool = toolsOf(target).get('x')
    expect(tool?.wrapsInput).toBe(true)
    expect(tool?.definition.inputSchema).toEqual({
      $schema,
      type: 'object',
      properties: { input: { type: 'array', items: { type: 'string' } } },
      required: ['input'],
      additionalProperties: false,
    })
  })

  it('gives an operation without input an empty object schema and no output schema', () => {
    const target = app({ name: 't', version: '1.0.0', operations: [op({ name: 'x', handler: noop })] })
    expect(toolsOf(target).get('x')?.definition).toEqual({
      name: 'x',
      inputSchema: { $schema, type: 'object', properties: {}, additionalProperties: false },
      annotations: { readOnlyHint: false, idempotentHint: false, destructiveHint: false },
    })
  })
})
