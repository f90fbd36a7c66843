import { app, op } from 'manifold'
import { type LambdaContext, type LambdaHandler, lambda } from 'manifold/lambda'
import { describe, expectTypeOf, it } from 'vitest'

const hello = app({
  name: 'hello',
  version: '1.0.0',
  operations: [op({ name: 'greet', handler: () => 'hi' }), op({ name: 'tags.list', handler: () => [] })],
})

describe('lambda() types', () => {
  it('lambda() returns an async (event, context) handler', () => {
    expectTypeOf(lambda(hello)).toEqualTypeOf<LambdaHandler>()
    expectTypeOf(lambda(hello)).parameter(1).toEqualTypeOf<LambdaContext | undefined>()
    expectTypeOf(lambda(hello)).returns.toEqualTypeOf<Promise<unknown>>()
  })

  it('lambda() accepts only operation names of the app in bindings', () => {
    lambda(hello, { sqs: { op: 'greet' }, events: { 'Scheduled Event': 'tags.list' } })
    // @ts-expect-error: not an operation of the app
    lambda(hello, { sqs: { op: 'nope' } })
    // @ts-expect-error: not an operation of the app
    lambda(hello, { events: { 'Scheduled Event': 'nope' } })
  })
})
