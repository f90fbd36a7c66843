/**
 * Framework cost without the network: the same validated JSON POST pushed through each
 * framework's in-process entry, alternating in rounds inside one process. Far steadier
 * than socket benchmarks on a shared machine, and it isolates what a framework adds to
 * JSON.parse + zod + JSON.stringify.
 *
 *   node --import tsx bench/http/handler-run.ts [--n 100000] [--rounds 5]   (compiles, then runs this file)
 */
import { parseArgs } from 'node:util'
import { Hono } from 'hono'
import { app, op } from 'manifold'
import { createHandler, fetchHandler } from 'manifold/http'
import { created, User } from './peers/shared.ts'

const { values } = parseArgs({
  options: { n: { type: 'string', default: '100000' }, rounds: { type: 'string', default: '5' } },
})
const n = Number(values.n)
const rounds = Number(values.rounds)
const body = JSON.stringify({ name: 'Ada Lovelace', email: 'ada@example.com', age: 36 })

const create = op({ name: 'users.create', input: User, handler: (input) => created(input) })
const bench = app({ name: 'bench', version: '1.0.0', operations: [create] })
const handle = createHandler(bench, { accessLog: false })
const fetchHandle = fetchHandler(bench, { accessLog: false })
const hono = new Hono()
hono.post('/users/create', async (c) => {
  const r = User.safeParse(await c.req.json())
  if (!r.success) return c.json(r.error.issues, 400)
  return c.json(created(r.data))
})

const cases: Record<string, () => Promise<unknown>> = {
  'hand-written (parse + zod + stringify)': async () => {
    const r = User.safeParse(JSON.parse(body))
    return r.success ? JSON.stringify(created(r.data)) : ''
  },
  'manifold createHandler (node:http path)': () =>
    handle({
      method: 'POST',
      path: '/users/create',
      query: '',
      headers: { 'content-type': 'application/json', 'content-length': String(body.length) },
      body,
    }),
  'manifold fetchHandler (Request → Response)': async () =>
    (
      await fetchHandle(
        new Request('http://x/users/create', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        }),
      )
    ).text(),
  'hono app.fetch (Request → Response)': async () =>
    (
      await hono.fetch(
        new Request('http://x/users/create', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        }),
      )
    ).text(),
}

const times = new Map<string, number[]>(Object.keys(cases).map((k) => [k, []]))
for (let round = 0; round < rounds; round++) {
  for (const [name, fn] of Object.entries(cases)) {
    for (let i = 0; i < 2000; i++) await fn()
    const start = performance.now()
    for (let i = 0; i < n; i++) await fn()
    times.get(name)?.push(((performance.now() - start) * 1000) / n)
  }
}
const base = Math.min(...(times.get('hand-written (parse + zod + stringify)') ?? [1]))
console.log(`${n} calls per round, best of ${rounds} rounds, Node ${process.version}\n`)
console.log('| entry | µs/call | overhead over hand-written µs |')
console.log('|---|---:|---:|')
for (const [name, list] of times) {
  const best = Math.min(...list)
  console.log(`| ${name} | ${best.toFixed(2)} | ${(best - base).toFixed(2)} |`)
}
