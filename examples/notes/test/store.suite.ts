/**
 * One behaviour suite for every store: SQLite (each driver this Node can load) and PostgreSQL
 * run exactly these tests.
 */
import { beforeEach, describe, expect, it } from 'vitest'
import type { Store } from '../src/core/index.ts'

/**
 * Runs the storage suite against stores made by `fresh` (each one new and empty). `fresh` may
 * return a string instead: the reason to skip (a server that could not start outside CI).
 */
export function describeStore(name: string, fresh: () => Promise<Store | string>): void {
  describe(`${name} store`, () => {
    let store: Store
    beforeEach(async (ctx) => {
      const made = await fresh()
      if (typeof made === 'string') return ctx.skip(made)
      store = made
      return async () => {
        await made.close()
      }
    })

    it('add() stores a note at version 1 with increasing ids and ISO times', async () => {
      const a = await store.add({ text: 'Buy milk', tags: ['home', 'errands'] })
      const b = await store.add({ text: 'Call Ada', tags: [] })
      expect(a).toMatchObject({ text: 'Buy milk', tags: ['home', 'errands'], version: 1 })
      expect(b.id).toBeGreaterThan(a.id)
      expect(new Date(a.createdAt).toISOString()).toBe(a.createdAt)
      expect(a.updatedAt).toBe(a.createdAt)
      expect(await store.get(a.id)).toEqual(a)
    })

    it('get() returns undefined for an id that was never stored', async () => {
      expect(await store.get(987654)).toBeUndefined()
    })

    it('addMany() stores every draft in order, and keeps text byte for byte', async () => {
      const texts = ['première note — ünïcödé', 'emoji 🎉 and "quotes"', "O'Brien; DROP TABLE notes; --"]
      const stored = await store.addMany(texts.map((text) => ({ text, tags: ['bulk'] })))
      expect(stored.map((n) => n.text)).toEqual(texts)
      expect(stored.map((n) => n.id)).toEqual([...stored.map((n) => n.id)].sort((x, y) => x - y))
      for (const note of stored) expect(await store.get(note.id)).toEqual(note)
      expect(await store.addMany([])).toEqual([])
    })

    it('page() lists newest first or oldest first, continues after an id and filters by tag', async () => {
      const notes = await store.addMany(
        Array.from({ length: 7 }, (_, i) => ({ text: `note ${i}`, tags: i % 2 === 0 ? ['even'] : ['odd'] })),
      )
      const ids = notes.map((n) => n.id)
      expect((await store.page({ limit: 3 })).map((n) => n.id)).toEqual(ids.slice(-3).reverse())
      expect((await store.page({ limit: 3, after: ids[4] })).map((n) => n.id)).toEqual(
        ids.slice(1, 4).reverse(),
      )
      expect((await store.page({ limit: 10, order: 'asc' })).map((n) => n.id)).toEqual(ids)
      expect((await store.page({ limit: 10, order: 'asc', after: ids[5] })).map((n) => n.id)).toEqual([
        ids[6],
      ])
      expect((await store.page({ limit: 10, tag: 'even' })).map((n) => n.id)).toEqual(
        [ids[6], ids[4], ids[2], ids[0]].map(Number),
      )
      expect((await store.page({ limit: 1, tag: 'even', after: ids[4] })).map((n) => n.id)).toEqual([ids[2]])
      expect(await store.page({ limit: 10, tag: 'none' })).toEqual([])
    })

    it('search() ranks the better match first and marks the terms in a snippet', async () => {
      const once = await store.add({ text: 'The garden needs water before the weekend trip', tags: [] })
      const twice = await store.add({ text: 'Garden plan: garden beds, garden tools', tags: ['plan'] })
      await store.add({ text: 'Unrelated shopping list', tags: [] })
      const hits = await store.search({ q: 'garden', limit: 10 })
      expect(hits.map((h) => h.note.id)).toEqual([twice.id, once.id])
      expect(hits[0]!.score).toBeGreaterThan(hits[1]!.score)
      expect(hits[1]!.snippet).toContain('**garden**')
      expect(hits[0]!.note).toEqual(twice)
    })

    it('search() matches word forms, filters by tag, honours the limit', async () => {
      const a = await store.add({ text: 'Running in the park', tags: ['sport'] })
      await store.add({ text: 'She runs every morning', tags: ['habit'] })
      expect((await store.search({ q: 'run', limit: 10 })).length).toBe(2)
      expect((await store.search({ q: 'running', tag: 'sport', limit: 10 })).map((h) => h.note.id)).toEqual([
        a.id,
      ])
      expect((await store.search({ q: 'run', limit: 1 })).length).toBe(1)
    })

    it('search() treats operators and quotes as plain words, never as a syntax error', async () => {
      await store.add({ text: 'milk and honey', tags: [] })
      for (const q of ['milk AND (', '"milk', 'milk*', 'NOT', '-milk', ':', 'milk OR', "' OR 1=1 --"]) {
        await expect(store.search({ q, limit: 5 })).resolves.toBeInstanceOf(Array)
      }
      expect(await store.search({ q: '!!!', limit: 5 })).toEqual([])
    })

    it('search() finds a note by its new text after an update and not after removal', async () => {
      const note = await store.add({ text: 'alpha', tags: [] })
      await store.update(note.id, 1, { text: 'omega' })
      expect(await store.search({ q: 'alpha', limit: 5 })).toEqual([])
      expect((await store.search({ q: 'omega', limit: 5 })).map((h) => h.note.id)).toEqual([note.id])
      await store.remove(note.id)
      expect(await store.search({ q: 'omega', limit: 5 })).toEqual([])
    })

    it('update() bumps the version, keeps what the patch omits, and refuses a stale version', async () => {
      const note = await store.add({ text: 'draft', tags: ['a'] })
      const first = await store.update(note.id, 1, { text: 'final' })
      expect(first).toMatchObject({ status: 'updated', note: { text: 'final', tags: ['a'], version: 2 } })
      const second = await store.update(note.id, 2, { tags: ['b', 'c'] })
      expect(second).toMatchObject({
        status: 'updated',
        note: { text: 'final', tags: ['b', 'c'], version: 3 },
      })
      expect(await store.update(note.id, 2, { text: 'late' })).toEqual({ status: 'conflict', current: 3 })
      expect(await store.update(987654, 1, { text: 'x' })).toEqual({ status: 'not_found' })
      expect((await store.get(note.id))?.text).toBe('final')
      expect((await store.page({ limit: 5, tag: 'a' })).length).toBe(0)
      expect((await store.page({ limit: 5, tag: 'b' })).length).toBe(1)
    })

    it('update() lets exactly one of two writers with the same version win', async () => {
      const note = await store.add({ text: 'race', tags: [] })
      const outcomes = await Promise.all([
        store.update(note.id, 1, { text: 'left' }),
        store.update(note.id, 1, { text: 'right' }),
      ])
      expect(outcomes.map((o) => o.status).sort()).toEqual(['conflict', 'updated'])
    })

    it('remove() deletes once and reports whether there was a note', async () => {
      const note = await store.add({ text: 'gone soon', tags: ['t'] })
      expect(await store.remove(note.id)).toBe(true)
      expect(await store.remove(note.id)).toBe(false)
      expect(await store.get(note.id)).toBeUndefined()
      expect(await store.tags()).toEqual([])
    })

    it('tags() counts notes per tag, most used first, then by name', async () => {
      await store.addMany([
        { text: '1', tags: ['work', 'b'] },
        { text: '2', tags: ['work', 'a'] },
        { text: '3', tags: ['home'] },
      ])
      expect(await store.tags()).toEqual([
        { tag: 'work', count: 2 },
        { tag: 'a', count: 1 },
        { tag: 'b', count: 1 },
        { tag: 'home', count: 1 },
      ])
    })
  })
}
