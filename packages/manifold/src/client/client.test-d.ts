import { client } from 'manifold/client'
import { describe, expectTypeOf, it } from 'vitest'
import type { Fixture } from '../../../../test/http/fixture.ts'

const c = client<Fixture>({ baseUrl: 'http://127.0.0.1:3000' })

describe('client() types', () => {
  it('client() infers inputs and outputs from the app', () => {
    expectTypeOf(c.notes.get).parameter(0).toEqualTypeOf<{ id: string }>()
    expectTypeOf(c.notes.get).returns.resolves.toEqualTypeOf<{ id: string; title: string; tags: string[] }>()
    expectTypeOf(c.notes.add).parameter(0).toEqualTypeOf<{ title: string; tags?: string[] | undefined }>()
  })

  it('client() makes the input optional for an operation without one', () => {
    expectTypeOf(c.ping).toBeCallableWith()
  })

  it('client() returns an AsyncIterable of items for a streaming operation', () => {
    expectTypeOf(c.tick).returns.resolves.toEqualTypeOf<AsyncIterable<{ i: number }>>()
  })

  it('client() types $call by name', () => {
    expectTypeOf(c.$call<'notes.get'>)
      .parameter(1)
      .toEqualTypeOf<{ id: string } | undefined>()
    // @ts-expect-error: not an operation of the app
    void c.$call('nope', {})
    // @ts-expect-error: wrong input type
    void c.notes.get({ id: 1 })
    // @ts-expect-error: no such group
    void c.tags
  })
})
