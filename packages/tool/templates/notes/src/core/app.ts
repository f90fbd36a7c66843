import { app, NotFound, op } from 'manifold'
import * as z from 'zod'
import { memoryStore, type Store } from './store.ts'

declare module 'manifold' {
  interface Register {
    deps: { store: Store }
  }
}

const Note = z.object({ id: z.string(), title: z.string(), body: z.string(), createdAt: z.string() })

export const add = op({
  name: 'add',
  description: 'Add a note',
  input: z.object({ title: z.string().min(1), body: z.string().default('') }),
  output: Note,
  http: { method: 'POST', path: '/notes', status: 201 },
  cli: { positional: ['title'], examples: ['add "Buy milk" --body "2 litres"'] },
  handler: ({ title, body }, ctx) => ctx.deps.store.add(title, body),
})

export const get = op({
  name: 'get',
  description: 'Show one note',
  input: z.object({ id: z.string() }),
  output: Note,
  readOnly: true,
  http: { method: 'GET', path: '/notes/{id}' },
  cli: { positional: ['id'] },
  handler: ({ id }, ctx) => ctx.deps.store.get(id) ?? NotFound.throw(`No note "${id}"`),
})

export const list = op({
  name: 'list',
  description: 'List notes',
  input: z.object({ limit: z.coerce.number().int().min(1).max(100).default(20) }),
  output: z.array(Note),
  readOnly: true,
  http: { method: 'GET', path: '/notes' },
  handler: ({ limit }, ctx) => ctx.deps.store.list(limit),
})

export const remove = op({
  name: 'remove',
  description: 'Delete a note',
  input: z.object({ id: z.string() }),
  destructive: true,
  http: { method: 'DELETE', path: '/notes/{id}' },
  cli: { positional: ['id'] },
  handler: ({ id }, ctx) => {
    if (!ctx.deps.store.remove(id)) NotFound.throw(`No note "${id}"`)
  },
})

export default app({
  name: '{{name}}',
  version: '0.1.0',
  description: 'Notes: add, list, show and delete',
  operations: [add, get, list, remove],
  deps: () => ({ store: memoryStore() }),
})
