/**
 * Every operation of the notes app, on every surface: in process, the CLI (local and
 * --remote), HTTP, Lambda (API Gateway v1 and v2, Function URL, ALB, direct) and MCP. Each
 * case must give the same bytes, or the same mapped error, everywhere.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { invoke, startApp, stopApp } from 'manifold'
import { checkAcrossSurfaces, type SurfaceCase, type Surfaces, surfaces } from 'manifold/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import notes from '../src/core/app.ts'
import { bundleEntry } from './build-cli.ts'
import { freshNote, stable } from './cases.ts'

const dir = mkdtempSync(join(tmpdir(), 'notes-surfaces-'))
let cli: string

beforeAll(async () => {
  cli = await bundleEntry('cli')
})
afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
  rmSync(cli, { force: true })
})

async function start(env: Record<string, string>): Promise<Surfaces> {
  await stopApp(notes)
  const all = { ...process.env, MANIFOLD_LOG: 'silent', ...env }
  await startApp(notes, { env: all })
  return surfaces(notes, { env: all, cli: { command: process.execPath, args: [cli], env: all } })
}

describe('notes without auth', () => {
  let all: Surfaces
  const seeded: number[] = []
  beforeAll(async () => {
    all = await start({ NOTES_DB: join(dir, 'open.db') })
    for (const [text, tags] of [
      ['Buy milk and eggs', ['home', 'errands']],
      ['Milk the cows before dawn', ['farm']],
      ['Weekly review: plan the garden', ['home', 'plan']],
      ['Call Ada about the garden party', []],
    ] as const) {
      seeded.push((await invoke(notes, 'add', { text, tags: [...tags] })).id)
    }
  })
  afterAll(async () => {
    await all.close()
    await stopApp(notes)
  })

  it('runs on every surface', () => {
    expect(all.names).toEqual([
      'direct',
      'cli',
      'cli-remote',
      'http',
      'lambda-v1',
      'lambda-v2',
      'lambda-url',
      'lambda-alb',
      'lambda-direct',
      'mcp',
    ])
  })

  const cases: SurfaceCase[] = [
    // Reads: the exact same bytes everywhere.
    { name: 'get returns the note', op: 'get', input: () => ({ id: seeded[0] }), expect: { ok: true } },
    {
      name: 'get of a missing note is not_found',
      op: 'get',
      input: { id: 999_999 },
      expect: { code: 'not_found' },
      strictErrors: true,
    },
    {
      name: 'get with a non-numeric id is invalid_input',
      op: 'get',
      input: { id: 'abc' },
      expect: { code: 'invalid_input' },
    },
    {
      name: 'get with a negative id is invalid_input',
      op: 'get',
      input: { id: -1 },
      expect: { code: 'invalid_input' },
    },
    { name: 'list returns the newest notes first', op: 'list', input: {}, expect: { ok: true } },
    { name: 'list filters by tag', op: 'list', input: { tag: 'home' }, expect: { ok: true } },
    { name: 'list pages with limit', op: 'list', input: { limit: 2 }, expect: { ok: true } },
    {
      name: 'list continues from a cursor',
      op: 'list',
      input: async () => ({ limit: 2, cursor: (await invoke(notes, 'list', { limit: 2 })).nextCursor }),
      expect: { ok: true },
    },
    {
      name: 'list with a forged cursor is invalid_input',
      op: 'list',
      input: { cursor: 'bm9wZQ' },
      expect: { code: 'invalid_input' },
    },
    {
      name: 'list with limit 0 is invalid_input',
      op: 'list',
      input: { limit: 0 },
      expect: { code: 'invalid_input' },
    },
    {
      name: 'search ranks matches and marks terms',
      op: 'search',
      input: { q: 'milk' },
      expect: { ok: true },
    },
    {
      name: 'search filters by tag',
      op: 'search',
      input: { q: 'garden', tag: 'plan' },
      expect: { ok: true },
    },
    {
      name: 'search without words is invalid_input',
      op: 'search',
      input: { q: '   ' },
      expect: { code: 'invalid_input' },
    },
    { name: 'tags.list counts notes per tag', op: 'tags.list', expect: { ok: true } },
    { name: 'export streams every note as NDJSON', op: 'export', input: {}, expect: { ok: true } },
    { name: 'export filters by tag', op: 'export', input: { tag: 'farm' }, expect: { ok: true } },
    // Writes: each surface makes its own note, so ids and times are masked.
    {
      name: 'add creates a note',
      op: 'add',
      input: { text: 'Pack for the trip', tags: ['Travel', 'travel'] },
      expect: { ok: true },
      normalize: stable,
    },
    {
      name: 'add without text is invalid_input',
      op: 'add',
      input: { text: '' },
      expect: { code: 'invalid_input' },
      strictErrors: true,
    },
    {
      name: 'add with a bad tag is invalid_input',
      op: 'add',
      input: { text: 'x', tags: ['no spaces'] },
      expect: { code: 'invalid_input' },
    },
    {
      name: 'add of a non-object is invalid_input',
      op: 'add',
      input: [1, 2],
      expect: { code: 'invalid_input' },
      // MCP tool arguments are an object by protocol: the SDK client refuses to send an array.
      skip: ['mcp'],
    },
    {
      name: 'update with the current version changes the note',
      op: 'update',
      input: async () => {
        const n = await freshNote()
        return { id: n.id, version: n.version, text: 'Changed', tags: ['done'] }
      },
      expect: { ok: true },
      normalize: stable,
    },
    {
      name: 'update with a stale version is a conflict',
      op: 'update',
      input: async () => {
        const n = await freshNote()
        await invoke(notes, 'update', { id: n.id, version: 1, text: 'Changed elsewhere' })
        return { id: n.id, version: 1, text: 'Too late' }
      },
      expect: { code: 'conflict' },
    },
    {
      name: 'update of a missing note is not_found',
      op: 'update',
      input: { id: 999_999, version: 1, text: 'x' },
      expect: { code: 'not_found' },
      strictErrors: true,
    },
    {
      name: 'update without changes is invalid_input',
      op: 'update',
      input: { id: 1, version: 1 },
      expect: { code: 'invalid_input' },
    },
    {
      name: 'remove deletes a note and answers with nothing',
      op: 'remove',
      input: async () => ({ id: (await freshNote()).id }),
      expect: { body: '' },
    },
    {
      name: 'remove of a missing note is not_found',
      op: 'remove',
      input: { id: 999_999 },
      expect: { code: 'not_found' },
      strictErrors: true,
    },
    {
      name: 'import streams one result per item, good and bad',
      op: 'import',
      input: {
        notes: [
          { text: 'Imported one', tags: ['imported'] },
          { text: '' },
          'not a note',
          { text: 'Imported two' },
        ],
      },
      expect: { ok: true },
      normalize: stable,
    },
    {
      name: 'import of NDJSON text reports the bad line',
      op: 'import',
      input: { ndjson: '{"text":"From NDJSON"}\n{oops\n' },
      expect: { ok: true },
      normalize: stable,
    },
    { name: 'import needs exactly one source', op: 'import', input: {}, expect: { code: 'invalid_input' } },
    {
      name: 'import of a server path is permission_denied away from the local surfaces',
      op: 'import',
      input: { path: '/etc' },
      expect: { code: 'permission_denied' },
      // In process and on the local CLI the path is the caller's own machine: allowed by design.
      skip: ['direct', 'cli'],
    },
  ]

  for (const c of cases) {
    it(`${c.name} on every surface`, () => checkAcrossSurfaces(all, c))
  }

  it('import of a path reads a folder of Markdown files from the local CLI and in process', async () => {
    const folder = mkdtempSync(join(dir, 'md-'))
    writeFileSync(join(folder, 'a.md'), '---\ntags: [md, first]\n---\n# First\n\nFrom Markdown')
    writeFileSync(join(folder, 'b.md'), 'Second, no front matter')
    writeFileSync(join(folder, 'skip.txt'), 'not markdown')
    const report = await checkAcrossSurfaces(all, {
      name: 'import of a folder',
      op: 'import',
      input: { path: folder },
      normalize: stable,
      expect: { ok: true },
      skip: [
        'cli-remote',
        'http',
        'lambda-v1',
        'lambda-v2',
        'lambda-url',
        'lambda-alb',
        'lambda-direct',
        'mcp',
      ],
    })
    const cliBody = report.outcomes.get('cli')
    expect(
      cliBody?.ok &&
        cliBody.body
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l).source),
    ).toEqual(['a.md', 'b.md'])
  })
})

describe('notes with NOTES_TOKEN set', () => {
  let all: Surfaces
  const token = 'correct-horse-battery-staple'
  beforeAll(async () => {
    all = await start({ NOTES_DB: join(dir, 'auth.db'), NOTES_TOKEN: token })
  })
  afterAll(async () => {
    await all.close()
    await stopApp(notes)
  })

  // The local CLI reads NOTES_TOKEN both as the app's config and as its credential: it is the
  // owner's own machine, so it is always authenticated. A direct Lambda invocation carries no
  // token: IAM decides who may invoke the function, so writes there need auth off.
  const cases: SurfaceCase[] = [
    {
      name: 'add without a token is unauthenticated',
      op: 'add',
      input: { text: 'x' },
      expect: { code: 'unauthenticated' },
      skip: ['cli'],
    },
    {
      name: 'add with a wrong token is unauthenticated',
      op: 'add',
      input: { text: 'x' },
      token: 'wrong-token',
      expect: { code: 'unauthenticated' },
      skip: ['cli'],
    },
    {
      name: 'add with the token creates the note',
      op: 'add',
      input: { text: 'Secret plan' },
      token,
      expect: { ok: true },
      normalize: stable,
      skip: ['lambda-direct'],
    },
    {
      name: 'remove without a token is unauthenticated',
      op: 'remove',
      input: { id: 1 },
      expect: { code: 'unauthenticated' },
      skip: ['cli'],
    },
    {
      name: 'import without a token is unauthenticated',
      op: 'import',
      input: { notes: [] },
      expect: { code: 'unauthenticated' },
      skip: ['cli'],
    },
    { name: 'list needs no token', op: 'list', input: {}, expect: { ok: true } },
    { name: 'get needs no token', op: 'get', input: { id: 1 }, expect: { ok: true } },
  ]
  for (const c of cases) it(`${c.name} on every surface`, () => checkAcrossSurfaces(all, c))
})
