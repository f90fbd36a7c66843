import { app, op } from 'manifold'
import { describe, expect, it } from 'vitest'
import * as z from 'zod'

const noop = (name: string, http?: { method?: 'GET' | 'POST'; path?: string }, readOnly = false) =>
  op({ name, readOnly, ...(http ? { http } : {}), handler: () => undefined })

describe('app()', () => {
  const cases = [
    {
      description: 'a duplicate name',
      ops: [noop('add'), noop('add')],
      message: /two operations named "add"/,
    },
    {
      description: 'a route clash',
      ops: [
        noop('get', { method: 'GET', path: '/notes/{id}' }),
        noop('show', { method: 'GET', path: '/notes/{key}' }),
      ],
      message: /"get" and "show" both answer GET \/notes\/\{key\}/,
    },
    {
      description: 'a default route clash',
      ops: [noop('a.b'), noop('x', { path: '/a/b' })],
      message: /both answer POST \/a\/b/,
    },
    {
      description: 'an operation that is also a group',
      ops: [noop('tags'), noop('tags.list')],
      message: /also the group/,
    },
    {
      description: 'a path without a leading slash',
      ops: [noop('x', { path: 'x' })],
      message: /must start with "\/"/,
    },
  ]
  it.each(cases)('rejects $description', ({ ops, message }) => {
    expect(() => app({ name: 'a', version: '1', operations: ops })).toThrowError(message)
  })

  it.each(['', 'has space', '1abc', 'a..b', 'a.', '.a', 'ünï'])('op() rejects the name %j', (name) => {
    expect(() => op({ name, handler: () => 1 })).toThrowError(/Invalid operation name/)
  })

  it('accepts GET and POST on the same path from a readOnly operation', () => {
    const list = noop('notes.list', undefined, true)
    const target = app({ name: 'a', version: '1', operations: [list] })
    expect(target.get('notes.list')).toBe(list)
  })

  it('derives hints: idempotent follows readOnly, stream from an async generator', () => {
    const read = op({ name: 'r', readOnly: true, input: z.object({}), handler: () => 1 })
    expect([read.readOnly, read.idempotent, read.destructive, read.stream]).toEqual([
      true,
      true,
      false,
      false,
    ])
  })
})
