/**
 * Remote mode: `notes --remote <url> <command> --json` prints the same bytes as the local CLI
 * on the same database, and exits with the same code.
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bundleEntry } from './build-cli.ts'
import { type ServerProcess, startServer } from './server-process.ts'

const dir = mkdtempSync(join(tmpdir(), 'notes-remote-'))
const db = join(dir, 'notes.db')
const env = { ...process.env, MANIFOLD_LOG: 'warn', NOTES_DB: db, NO_COLOR: '1' }
let cli: string
let server: string
let running: ServerProcess

function notes(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { env }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : Number((error as { code?: number }).code), stdout, stderr })
    })
  })
}

beforeAll(async () => {
  ;[cli, server] = await Promise.all([bundleEntry('cli'), bundleEntry('server')])
  running = await startServer(server, { NOTES_DB: db })
  for (const [text, tag] of [
    ['Buy milk', 'home'],
    ['Plan the garden', 'home'],
    ['Quarterly report', 'work'],
  ] as const) {
    expect((await notes(['add', text, '--tags', tag, '--json'])).code).toBe(0)
  }
})
afterAll(async () => {
  await running?.stop()
  for (const f of [cli, server]) if (f !== undefined) rmSync(f, { force: true })
  rmSync(dir, { recursive: true, force: true })
})

describe('notes --remote', () => {
  // Every operation also runs with --remote in surfaces.test.ts; these are the commands of the tour.
  const table = [
    ['list', '--json'],
    ['list', '--tag', 'home', '--limit', '1', '--json'],
    ['search', 'garden', '--json'],
    ['get', '999', '--json'],
  ]
  for (const args of table) {
    it(`notes --remote <url> ${args.join(' ')} prints the same bytes and exit code as the local CLI`, async () => {
      const [local, remote] = await Promise.all([notes(args), notes(['--remote', running.url, ...args])])
      expect(remote.stdout).toBe(local.stdout)
      expect(remote.code).toBe(local.code)
      if (local.code !== 0) {
        const strip = (s: string) => {
          const { requestId: _r, ...rest } = JSON.parse(s.trim().split('\n').at(-1) ?? '{}')
          return rest
        }
        expect(strip(remote.stderr)).toEqual(strip(local.stderr))
      }
    })
  }

  it('notes --remote <url> list --json shows a note added through the server', async () => {
    const added = await notes(['--remote', running.url, 'add', 'Written remotely', '--json'])
    expect(added.code).toBe(0)
    const local = await notes(['list', '--limit', '1', '--json'])
    expect(JSON.parse(local.stdout).items[0]).toEqual(JSON.parse(added.stdout))
  })
})
