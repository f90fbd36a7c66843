import assert from 'node:assert/strict'
import { test } from 'node:test'
import { invoke } from 'manifold'
import app from '../src/core/app.ts'

test('greet says hello to the name it gets', async () => {
  assert.deepEqual(await invoke(app, 'greet', { name: 'Ada' }), { message: 'Hello, Ada!' })
})

test('greet rejects an empty name as invalid input', async () => {
  await assert.rejects(invoke(app, 'greet', { name: '' }), { code: 'invalid_input' })
})
