import { app, NotFound, op } from 'manifold'
import { checkCase, type Surfaces, surfaces } from 'manifold/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as z from 'zod'

const same = op({
  name: 'same',
  input: z.object({ n: z.number().int() }),
  readOnly: true,
  http: { method: 'GET', path: '/same' },
  handler: ({ n }) => ({ n, twice: n * 2 }),
})
// Gives away which surface answered: exactly what checkAcrossSurfaces must catch.
const leaky = op({ name: 'leaky', readOnly: true, handler: (_i, ctx) => ({ surface: ctx.surface }) })
const missing = op({
  name: 'missing',
  input: z.object({ id: z.number() }),
  http: { method: 'GET', path: '/missing/{id}' },
  handler: ({ id }) => NotFound.throw(`No thing "${id}"`),
})
async function* countTo({ to }: { to: number }) {
  for (let i = 1; i <= to; i++) yield { i }
}
const count = op({ name: 'count', input: z.object({ to: z.number().int().max(5) }), handler: countTo })
const fixture = app({ name: 'fixture', version: '1.0.0', operations: [same, leaky, missing, count] })

describe('checkCase()', () => {
  let all: Surfaces
  beforeAll(async () => {
    all = await surfaces(fixture, { env: { MANIFOLD_LOG: 'silent' } })
  })
  afterAll(() => all.close())

  const table = [
    { name: 'agrees on a value', op: 'same', input: { n: 21 }, problems: 0 },
    { name: 'agrees on a stream', op: 'count', input: { to: 3 }, problems: 0 },
    { name: 'agrees on a mapped error', op: 'missing', input: { id: 7 }, problems: 0 },
    { name: 'agrees on invalid input', op: 'same', input: { n: 'x' }, problems: 0 },
    { name: 'catches a result that differs by surface', op: 'leaky', input: {}, problems: 7 },
  ]
  for (const row of table) {
    it(`checkCase() ${row.name}`, async () => {
      const report = await checkCase(
        all,
        { name: row.name, op: row.op, input: row.input },
        all.isStream(row.op),
      )
      expect(report.problems).toHaveLength(row.problems)
      expect([...report.outcomes.keys()]).toEqual(all.names)
    })
  }

  it('checkCase() compares stream items as NDJSON lines', async () => {
    const report = await checkCase(
      all,
      { name: 'stream', op: 'count', input: { to: 2 }, expect: { body: '{"i":1}\n{"i":2}\n' } },
      true,
    )
    expect(report.problems).toEqual([])
  })

  it('checkCase() reports an expectation no surface meets', async () => {
    const report = await checkCase(all, {
      name: 'wrong',
      op: 'same',
      input: { n: 1 },
      expect: { code: 'not_found' },
    })
    expect(report.problems).toHaveLength(all.names.length)
  })
})
