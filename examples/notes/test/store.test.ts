import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openPostgresStore, openSqliteStore } from '../src/core/index.ts'
import { startPostgresOrSkip, type TestPostgres } from './postgres.ts'
import { describeStore } from './store.suite.ts'

const dir = mkdtempSync(join(tmpdir(), 'notes-store-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
let n = 0

/** Drivers this Node can load: better-sqlite3 is built for one Node ABI, node:sqlite needs Node 22.13+. */
async function loadable(driver: string): Promise<boolean> {
  try {
    const s = await openSqliteStore(':memory:', { driver })
    await s.close()
    return true
  } catch {
    return false
  }
}
const drivers = await Promise.all(
  ['better-sqlite3', 'node:sqlite'].map(async (d) => [d, await loadable(d)] as const),
)

it('at least one SQLite driver loads on this Node', () => {
  expect(drivers.some(([, ok]) => ok)).toBe(true)
})

for (const [driver, ok] of drivers) {
  if (!ok) {
    describe.skip(`SQLite (${driver}) store: driver not loadable on Node ${process.version}`, () => {})
    continue
  }
  describeStore(`SQLite (${driver})`, () => openSqliteStore(join(dir, `${++n}.db`), { driver }))
}

describe('PostgreSQL', () => {
  let server: TestPostgres | undefined
  let reason = ''
  beforeAll(async () => {
    ;({ server, reason = '' } = await startPostgresOrSkip('the PostgreSQL store tests'))
  })
  afterAll(async () => {
    await server?.stop()
  })
  describeStore('PostgreSQL', async () => {
    if (server === undefined) return `PostgreSQL did not start: ${reason}`
    return openPostgresStore(await server.createDatabase())
  })
})
