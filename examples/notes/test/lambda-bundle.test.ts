/**
 * The notes Lambda bundle, built by `manifold build`'s own bundler, answers through the local
 * Lambda runtime (the emulator, the bundle in a process of its own) for every trigger: API
 * Gateway REST and HTTP APIs, a Function URL, ALB, SQS, EventBridge and a direct call, on
 * SQLite. AWS itself cannot run here; the emulator speaks its Runtime API.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bundleEntry } from '../../../packages/tool/src/build/bundle.ts'
import { readConfig } from '../../../packages/tool/src/config.ts'
import {
  decodeHttpResult,
  type Emulator,
  type SampleKind,
  sampleEvent,
  startEmulator,
} from '../../../packages/tool/src/lambda-emulator/index.ts'

const root = fileURLToPath(new URL('..', import.meta.url))
// Inside the example, so that the bundle's external native driver (better-sqlite3) resolves
// from its node_modules, as it does from the zip's.
const dir = join(root, 'test-artifacts', `lambda-${process.pid}`)
const data = mkdtempSync(join(tmpdir(), 'notes-lambda-'))
let emulator: Emulator

beforeAll(async () => {
  const bundle = await bundleEntry(await readConfig(root), 'lambda', { conditions: ['source'] })
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, 'index.mjs'), bundle.code)
  emulator = await startEmulator({
    bundle: dir,
    timeout: 10,
    env: { NOTES_DB: join(data, 'notes.db'), MANIFOLD_LOG: 'silent' },
    log: () => {},
  })
}, 60_000)

afterAll(async () => {
  await emulator?.close()
  rmSync(dir, { recursive: true, force: true })
  rmSync(data, { recursive: true, force: true })
})

describe('the notes Lambda bundle in the emulator', () => {
  let id = 0

  it('the bundle adds a note from a direct invocation', async () => {
    const result = await emulator.invoke({ op: 'add', input: { text: 'From Lambda', tags: ['aws'] } })
    expect(result.error).toBeUndefined()
    expect(result.payload).toMatchObject({ text: 'From Lambda', tags: ['aws'], version: 1 })
    id = (result.payload as { id: number }).id
  })

  it.each<SampleKind>(['apigw-v1', 'apigw-http-v2', 'function-url', 'alb', 'alb-multi-value'])(
    'the bundle answers GET /notes/{id} on a %s event with the note',
    async (kind) => {
      const result = await emulator.invoke(sampleEvent(kind, { path: `/notes/${id}` }))
      expect(result.error).toBeUndefined()
      const decoded = decodeHttpResult(result.payload)
      expect(decoded.status).toBe(200)
      expect(JSON.parse(decoded.body.toString('utf8'))).toMatchObject({ id, text: 'From Lambda' })
    },
  )

  it('the bundle answers a missing note with a 404 problem on an HTTP event', async () => {
    const decoded = decodeHttpResult(
      (await emulator.invoke(sampleEvent('apigw-http-v2', { path: '/notes/999999' }))).payload,
    )
    expect(decoded.status).toBe(404)
    expect(decoded.headers['content-type']).toBe('application/problem+json')
  })

  it('the bundle adds a note from an EventBridge "Note Requested" event', async () => {
    const event = sampleEvent('eventbridge', {
      detailType: 'Note Requested',
      data: JSON.stringify({ text: 'From EventBridge' }),
    })
    const result = await emulator.invoke(event)
    expect(result.error).toBeUndefined()
    expect(result.payload).toMatchObject({ text: 'From EventBridge' })
  })

  it('the bundle runs an SQS batch and reports exactly the failed record', async () => {
    const good = sampleEvent('sqs', { data: JSON.stringify({ op: 'add', input: { text: 'From SQS' } }) })
    const bad = sampleEvent('sqs', { data: JSON.stringify({ op: 'add', input: { text: '' } }) })
    const records = [good, bad].map((e) => (e as { Records: { messageId: string }[] }).Records[0])
    const result = await emulator.invoke({ Records: records })
    expect(result.error).toBeUndefined()
    expect(result.payload).toEqual({ batchItemFailures: [{ itemIdentifier: records[1]?.messageId }] })
    const found = await emulator.invoke({ op: 'search', input: { q: 'SQS' } })
    expect((found.payload as { items: { note: { text: string } }[] }).items[0]?.note.text).toBe('From SQS')
  })
})
