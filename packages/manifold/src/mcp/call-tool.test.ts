import { ManifoldError, NotFound } from 'manifold'
import { describe, expect, it } from 'vitest'
import { toToolError, toToolResult } from './call-tool.ts'
import type { Tool } from './tools.ts'

const tool = (wrapsResult: Tool['wrapsResult']) => ({ wrapsResult }) as Tool

describe('toToolResult()', () => {
  it.each([
    {
      description: 'an object as is',
      wraps: 'never',
      value: { id: '1' },
      structured: { id: '1' },
      text: '{"id":"1"}',
    },
    {
      description: 'a string as { result }',
      wraps: 'auto',
      value: 'hi',
      structured: { result: 'hi' },
      text: '"hi"',
    },
    {
      description: 'an array as { result }',
      wraps: 'auto',
      value: [1, 2],
      structured: { result: [1, 2] },
      text: '[1,2]',
    },
    {
      description: 'null as { result }',
      wraps: 'auto',
      value: null,
      structured: { result: null },
      text: 'null',
    },
    {
      description: 'an object when the schema is not',
      wraps: 'always',
      value: { a: 1 },
      structured: { result: { a: 1 } },
      text: '{"a":1}',
    },
    {
      description: 'a Date as the JSON the HTTP body has',
      wraps: 'never',
      value: { at: new Date(0) },
      structured: { at: '1970-01-01T00:00:00.000Z' },
      text: '{"at":"1970-01-01T00:00:00.000Z"}',
    },
  ] as const)('renders $description', ({ wraps, value, structured, text }) => {
    expect(toToolResult(tool(wraps), value)).toEqual({
      content: [{ type: 'text', text }],
      structuredContent: structured,
    })
  })

  it('renders no result as no content', () => {
    expect(toToolResult(tool('auto'), undefined)).toEqual({ content: [] })
  })
})

describe('toToolError()', () => {
  it('carries the problem details as text and structured content', () => {
    const result = toToolError(new NotFound('No note "9"', { hint: 'List the notes first' }), 'req-1')
    const problem = {
      type: 'https://manifold.dev/errors#not_found',
      title: 'Not found',
      status: 404,
      detail: 'No note "9"',
      code: 'not_found',
      hint: 'List the notes first',
      requestId: 'req-1',
    }
    expect(result).toEqual({
      content: [{ type: 'text', text: JSON.stringify(problem) }],
      structuredContent: problem,
      isError: true,
    })
  })

  it('lists the failing fields of invalid input', () => {
    const error = new ManifoldError('invalid_input', 'Invalid input: a: Required', {
      errors: [{ path: 'a', message: 'Required' }],
    })
    expect(toToolError(error).structuredContent).toMatchObject({
      code: 'invalid_input',
      errors: [{ path: 'a', message: 'Required' }],
    })
  })
})

describe('toToolError() for a tool with an output schema', () => {
  it('keeps the problem in the text only', () => {
    const result = toToolError(new NotFound('gone'), undefined, false)
    expect(result.structuredContent).toBeUndefined()
    expect(JSON.parse(result.content[0]?.text ?? '')).toMatchObject({ code: 'not_found', detail: 'gone' })
  })
})
