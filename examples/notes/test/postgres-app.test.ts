/**
 * The whole app on PostgreSQL: with DATABASE_URL set, every surface reads and writes the
 * shared database, as many HTTP instances and Lambda functions would.
 */

import { rmSync } from 'node:fs'
import { invoke, startApp, stopApp } from 'manifold'
import { checkAcrossSurfaces, type SurfaceCase, type Surfaces, surfaces } from 'manifold/testing'
import { afterAll, beforeAll, describe, it } from 'vitest'
import notes from '../src/core/app.ts'
import { bundleEntry } from './build-cli.ts'
import { stable } from './cases.ts'
import { startPostgresOrSkip, type TestPostgres } from './postgres.ts'

describe('notes on PostgreSQL (DATABASE_URL)', () => {
  let server: TestPostgres | undefined
  let all: Surfaces | undefined
  let cli: string | undefined
  let reason = ''
  beforeAll(async () => {
    ;({ server, reason = '' } = await startPostgresOrSkip('the PostgreSQL app tests'))
    if (server === undefined) return
    cli = await bundleEntry('cli')
    const env: Record<string, string | undefined> = {
      ...process.env,
      MANIFOLD_LOG: 'silent',
      DATABASE_URL: await server.createDatabase(),
    }
    delete env.NOTES_TOKEN
    await stopApp(notes)
    await startApp(notes, { env })
    all = await surfaces(notes, { env, cli: { command: process.execPath, args: [cli], env } })
    await invoke(notes, 'add', { text: 'Shared garden plan for the allotment', tags: ['garden'] })
    await invoke(notes, 'add', { text: 'Garden tools: spade, rake, garden hose', tags: ['garden', 'tools'] })
  })
  afterAll(async () => {
    await all?.close()
    await stopApp(notes)
    await server?.stop()
    if (cli !== undefined) rmSync(cli, { force: true })
  })

  const cases: SurfaceCase[] = [
    { name: 'list reads the shared database', op: 'list', input: {}, expect: { ok: true } },
    {
      name: 'search ranks with ts_rank and marks terms with ts_headline',
      op: 'search',
      input: { q: 'garden' },
      expect: { ok: true },
    },
    { name: 'tags.list counts with unnest', op: 'tags.list', expect: { ok: true } },
    {
      name: 'add writes to the shared database',
      op: 'add',
      input: { text: 'From every surface', tags: ['pg'] },
      expect: { ok: true },
      normalize: stable,
    },
    {
      name: 'get of a missing note is not_found',
      op: 'get',
      input: { id: 999_999 },
      expect: { code: 'not_found' },
      strictErrors: true,
    },
    { name: 'export streams the shared notes', op: 'export', input: { tag: 'pg' }, expect: { ok: true } },
  ]
  for (const c of cases) {
    it(`${c.name} on every surface`, async (ctx) => {
      if (all === undefined) return ctx.skip(`PostgreSQL did not start: ${reason}`)
      await checkAcrossSurfaces(all, c)
    })
  }
})
