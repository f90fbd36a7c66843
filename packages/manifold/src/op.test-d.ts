import { type } from 'arktype'
import * as v from 'valibot'
import { expectTypeOf } from 'vitest'
import * as z from 'zod'
import { app, type InputOf, invoke, middleware, NotFound, type OutputOf, op } from './index.ts'

const Note = z.object({ id: z.string(), text: z.string(), tags: z.array(z.string()) })

const get = op({
  name: 'get',
  input: z.object({ id: z.string() }),
  output: Note,
  readOnly: true,
  handler: async ({ id }) => {
    expectTypeOf(id).toEqualTypeOf<string>()
    return id === '1' ? { id, text: 'x', tags: [] } : NotFound.throw(`no note "${id}"`)
  },
})

const add = op({
  name: 'add',
  input: v.object({ text: v.string(), tags: v.optional(v.array(v.string()), []) }),
  handler: ({ text, tags }) => {
    expectTypeOf(tags).toEqualTypeOf<string[]>()
    return { id: '1', text, tags, created: true as const }
  },
})

const count = op({
  name: 'tags.count',
  input: type({ tag: 'string', 'limit?': 'number' }),
  output: type({ n: 'number' }),
  handler: ({ tag, limit }) => {
    expectTypeOf(tag).toEqualTypeOf<string>()
    expectTypeOf(limit).toEqualTypeOf<number | undefined>()
    return { n: 1 }
  },
})

const ping = op({ name: 'ping', handler: () => 'pong' })

const exportAll = op({
  name: 'export',
  output: Note,
  async *handler() {
    yield { id: '1', text: 'a', tags: [] }
  },
})

const withUser = middleware(async (_ctx, next) => next({ user: 'ada' }))
const whoami = op({
  name: 'whoami',
  use: [withUser],
  handler: (_input, ctx) => {
    expectTypeOf(ctx.user).toEqualTypeOf<string>()
    return ctx.user
  },
})

const notes = app({ name: 'notes', version: '1.0.0', operations: [get, add, count, ping, exportAll, whoami] })

type N = typeof notes
expectTypeOf<InputOf<N, 'get'>>().toEqualTypeOf<{ id: string }>()
expectTypeOf<OutputOf<N, 'get'>>().toEqualTypeOf<{ id: string; text: string; tags: string[] }>()
expectTypeOf<OutputOf<N, 'add'>>().toEqualTypeOf<{
  id: string
  text: string
  tags: string[]
  created: true
}>()
expectTypeOf<OutputOf<N, 'tags.count'>>().toEqualTypeOf<{ n: number }>()
expectTypeOf<OutputOf<N, 'ping'>>().toEqualTypeOf<string>()

async function calls() {
  const note = await invoke(notes, 'get', { id: '1' })
  expectTypeOf(note.text).toEqualTypeOf<string>()
  const stream = await invoke(notes, 'export')
  expectTypeOf(stream).toEqualTypeOf<AsyncIterable<{ id: string; text: string; tags: string[] }>>()
  const who = await invoke(notes, 'whoami')
  expectTypeOf(who).toEqualTypeOf<string>()
  // @ts-expect-error: unknown operation name
  await invoke(notes, 'nope', {})
  // @ts-expect-error: wrong input field type
  await invoke(notes, 'get', { id: 1 })
}
void calls

op({
  name: 'bad',
  input: z.object({ id: z.string() }),
  output: Note,
  // @ts-expect-error: a wrong field in the handler's result is a type error
  handler: ({ id }) => ({ id, text: 1, tags: [] }),
})

op({
  name: 'bad2',
  input: z.object({ id: z.string() }),
  // @ts-expect-error: the input has no field "nope"
  handler: ({ id, nope }) => id + nope,
})
