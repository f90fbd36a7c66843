import assert from 'node:assert/strict'
import { test } from 'node:test'
import { invoke } from 'manifold'
import app from '../src/core/app.ts'

test('add stores a note that get returns', async () => {
  const note = await invoke(app, 'add', { title: 'Buy milk' })
  assert.equal((await invoke(app, 'get', { id: note.id })).title, 'Buy milk')
})

test('get of a missing note fails with not_found', async () => {
  await assert.rejects(invoke(app, 'get', { id: 'nope' }), { code: 'not_found' })
})
