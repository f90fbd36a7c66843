/**
 * The app the HTTP tests serve: every routing shape, streaming, progress, auth and failure.
 * Shared by the node:http tests, the fetch handler tests (Node, Bun, Deno) and the docs page test.
 */
import { app, InvalidInput, NotFound, op, Unauthenticated } from 'manifold'
import * as z from 'zod'

const Note = z.object({ id: z.string(), title: z.string(), tags: z.array(z.string()) })

const notes = new Map<string, z.infer<typeof Note>>([['1', { id: '1', title: 'First', tags: ['a'] }]])

export const get = op({
  name: 'notes.get',
  description: 'Show one note',
  input: z.object({ id: z.string() }),
  output: Note,
  readOnly: true,
  http: { method: 'GET', path: '/notes/{id}' },
  handler: ({ id }) => notes.get(id) ?? NotFound.throw(`No note "${id}"`),
})

export const add = op({
  name: 'notes.add',
  description: 'Add a note',
  input: z.object({ title: z.string().min(1), tags: z.array(z.string()).default([]) }),
  output: Note,
  http: { method: 'POST', path: '/notes', status: 201 },
  handler: ({ title, tags }) => {
    const id = String(notes.size + 1)
    const note = { id, title, tags }
    notes.set(id, note)
    return note
  },
})

export const remove = op({
  name: 'notes.remove',
  description: 'Delete a note',
  input: z.object({ id: z.string() }),
  destructive: true,
  http: { method: 'DELETE', path: '/notes/{id}' },
  handler: ({ id }) => {
    if (id === '1') return
    NotFound.throw(`No note "${id}"`)
  },
})

export const search = op({
  name: 'notes.search',
  description: 'Find notes; every query type is coerced',
  input: z.object({
    q: z.string(),
    limit: z.int().min(1).max(100).optional(),
    ratio: z.number().optional(),
    done: z.boolean().optional(),
    tags: z.array(z.string()).optional(),
    pages: z.array(z.int()).optional(),
  }),
  readOnly: true,
  handler: (input) => input,
})

export const page = op({
  name: 'pages.get',
  description: 'A page of a book, with an integer path parameter',
  input: z.object({ book: z.string(), n: z.int() }),
  readOnly: true,
  http: { method: 'GET', path: '/books/{book}/pages/{n}' },
  handler: ({ book, n }) => ({ book, n, type: typeof n }),
})

export const ping = op({
  name: 'ping',
  description: 'Answers pong; takes no input',
  readOnly: true,
  handler: () => ({ pong: true }),
})

export const noop = op({
  name: 'noop',
  description: 'Returns nothing',
  input: z.object({ x: z.number().optional() }),
  handler: () => undefined,
})

export const echo = op({
  name: 'echo',
  description: 'Returns its input, any JSON object',
  input: z.record(z.string(), z.unknown()),
  handler: (input) => ({
    received: input,
    keys: Object.keys(input),
    polluted: ({} as Record<string, unknown>).polluted ?? null,
  }),
})

export const strict = op({
  name: 'strict',
  description: 'Two required fields with constraints, to list every failing field',
  input: z.object({ name: z.string().min(2), age: z.int().min(0), email: z.email() }),
  handler: (input) => input,
})

export const tick = op({
  name: 'tick',
  description: 'Streams n items',
  input: z.object({ n: z.int().min(0).max(1000), failAt: z.int().optional() }),
  output: z.object({ i: z.int() }),
  async *handler({ n, failAt }) {
    for (let i = 0; i < n; i++) {
      if (i === failAt) throw new InvalidInput(`Failed at ${i}`)
      yield { i }
    }
  },
})

export const work = op({
  name: 'work',
  description: 'Reports progress, then returns',
  input: z.object({ steps: z.int().min(1).max(20) }),
  handler: async ({ steps }, ctx) => {
    for (let i = 1; i <= steps; i++) {
      ctx.progress(i, steps, `step ${i}`)
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
    return { steps }
  },
})

export const slow = op({
  name: 'slow',
  description: 'Waits ms milliseconds (or until the client goes away)',
  input: z.object({ ms: z.int().min(0).max(60_000) }),
  handler: async ({ ms }, ctx) => {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, ms)
      ctx.signal.addEventListener('abort', () => {
        clearTimeout(timer)
        reject(ctx.signal.reason)
      })
    })
    return { waited: ms }
  },
})

export const boom = op({
  name: 'boom',
  description: 'Fails with an unexpected error that holds a secret',
  handler: () => {
    throw new Error('password=hunter2 at db.internal:5432', { cause: new Error('deep secret') })
  },
})

export const whoami = op({
  name: 'whoami',
  description: 'Who called',
  auth: true,
  readOnly: true,
  handler: (_input, ctx) => ({ principal: ctx.principal ?? null }),
})

export const fixture = app({
  name: 'fixture',
  version: '1.2.3',
  description: 'The HTTP test app',
  operations: [get, add, remove, search, page, ping, noop, echo, strict, tick, work, slow, boom, whoami],
  auth: (credentials) => {
    if (credentials.token === 'good') return { user: 'ada' }
    if (credentials.apiKey === 'key') return { user: 'bot' }
    if (typeof credentials.claims?.sub === 'string') return { user: credentials.claims.sub }
    if (credentials.token !== undefined || credentials.apiKey !== undefined) {
      throw new Unauthenticated('The token is not valid', { hint: 'Log in again' })
    }
    return undefined
  },
})

export type Fixture = typeof fixture
