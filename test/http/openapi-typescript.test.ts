import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { openapi } from 'manifold/http'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { fixture } from './fixture.ts'

const run = promisify(execFile)
const bin = (name: string) => fileURLToPath(new URL(`../node_modules/.bin/${name}`, import.meta.url))
let dir: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'manifold-openapi-ts-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

it('openapi() output turns into TypeScript with openapi-typescript that compiles without errors', async () => {
  const spec = join(dir, 'openapi.json')
  const types = join(dir, 'api.d.ts')
  await writeFile(spec, JSON.stringify(openapi(fixture)))
  // Defaults make a field optional for callers; openapi-typescript treats them as present unless told.
  await run(bin('openapi-typescript'), [spec, '-o', types, '--default-non-nullable', 'false'])
  const generated = await readFile(types, 'utf8')
  expect(generated).toContain('"/notes/{id}"')
  expect(generated).toContain('NotesAddInput')
  // Use the generated types so a wrong shape fails the compile, not only a syntax error.
  await writeFile(
    join(dir, 'use.ts'),
    [
      "import type { components, operations, paths } from './api.js'",
      "type Note = components['schemas']['NotesGetOutput']",
      "const note: Note = { id: '1', title: 't', tags: [] }",
      "type Params = paths['/books/{book}/pages/{n}']['get']['parameters']['path']",
      "const params: Params = { book: 'b', n: 1 }",
      "type Problem = components['schemas']['Problem']",
      "const p: Problem['code'] = 'not_found'",
      "type AddOp = operations['notes.add']",
      "type Body = NonNullable<AddOp['requestBody']>['content']['application/json']",
      "const body: Body = { title: 'x' }",
      'export { body, note, p, params }',
    ].join('\n'),
  )
  await run(bin('tsc'), [
    '--noEmit',
    '--strict',
    '--module',
    'nodenext',
    '--moduleResolution',
    'nodenext',
    '--skipLibCheck',
    join(dir, 'use.ts'),
    types,
  ])
}, 60_000)
