/**
 * Crash safety: SIGKILL the server in the middle of a large import. After a restart the
 * database opens and every note whose result was streamed back (acknowledged) is there.
 */

import { mkdtempSync, rmSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { bundleEntry } from './build-cli.ts'
import { type ServerProcess, startServer } from './server-process.ts'

const dir = mkdtempSync(join(tmpdir(), 'notes-crash-'))
const env = { NOTES_DB: join(dir, 'notes.db') }
let server: string
const running: ServerProcess[] = []

beforeAll(async () => {
  server = await bundleEntry('server')
})
afterAll(async () => {
  for (const s of running) await s.stop('SIGKILL')
  rmSync(server, { force: true })
  rmSync(dir, { recursive: true, force: true })
})

/** Posts an import and calls `onLine` with each streamed result until the connection ends. */
function importStream(url: string, body: string, onLine: (line: string) => void): Promise<void> {
  return new Promise((resolve) => {
    const req = request(`${url}/notes/import`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
    })
    req.on('response', (res) => {
      let buffer = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => {
        buffer += chunk
        let nl = buffer.indexOf('\n')
        while (nl !== -1) {
          onLine(buffer.slice(0, nl))
          buffer = buffer.slice(nl + 1)
          nl = buffer.indexOf('\n')
        }
      })
      res.on('close', () => resolve())
      res.on('error', () => resolve())
    })
    // The server dies mid-response: a reset connection is the expected end.
    req.on('error', () => resolve())
    req.end(body)
  })
}

it('notes acknowledged by a streaming import survive SIGKILL of the server', async () => {
  const first = await startServer(server, env)
  running.push(first)
  const total = 20_000
  const notes = Array.from({ length: total }, (_, i) => ({
    text: `Imported note number ${i} about crash safety`,
    tags: ['crash'],
  }))
  const acked: number[] = []
  await importStream(first.url, JSON.stringify({ notes }), (line) => {
    const result = JSON.parse(line) as { ok: boolean; id?: number }
    if (result.ok && result.id !== undefined) acked.push(result.id)
    if (acked.length === 1000) first.child.kill('SIGKILL')
  })
  await first.stop('SIGKILL')
  expect(first.child.signalCode).toBe('SIGKILL')
  // The kill must land mid-import, or this test proves nothing.
  expect(acked.length).toBeGreaterThanOrEqual(1000)
  expect(acked.length).toBeLessThan(total)

  const second = await startServer(server, env)
  running.push(second)
  const exported = await (await fetch(`${second.url}/notes/export?tag=crash`)).text()
  const stored = new Set(
    exported
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => (JSON.parse(l) as { id: number }).id),
  )
  const lost = acked.filter((id) => !stored.has(id))
  expect(lost).toEqual([])
  // Nothing half-written either: every stored note is complete.
  const sample = await (await fetch(`${second.url}/notes/${acked.at(-1)}`)).json()
  expect(sample).toMatchObject({ text: expect.stringContaining('crash safety'), tags: ['crash'], version: 1 })
  await second.stop()
})
