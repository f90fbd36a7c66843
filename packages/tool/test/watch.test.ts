import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { invoke } from 'manifold'
import { afterAll, describe, expect, it } from 'vitest'
import tool from '../src/app.ts'
import { fixtureCopy, tempDir } from './helpers.ts'

const app = fixtureCopy('plain')
const out = tempDir('watch')
afterAll(() => {
  app.remove()
  out.remove()
})

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (check()) return
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(`Timed out waiting for ${what}`)
}

describe('manifold build --watch', () => {
  it('build --watch rebuilds an entry when its source changes and stops when aborted', async () => {
    const controller = new AbortController()
    const bundle = join(out.dir, 'cli.mjs')
    const watching = invoke(
      tool,
      'build',
      { root: app.dir, outDir: out.dir, only: ['cli'], watch: true, quiet: true, conditions: ['source'] },
      { signal: controller.signal },
    )
    await until(
      () => existsSync(bundle) && readFileSync(bundle, 'utf8').includes('Hello, '),
      'the first build',
    )
    const source = join(app.dir, 'src/core/app.ts')
    writeFileSync(source, readFileSync(source, 'utf8').replace('Hello, ', 'Howdy, '))
    await until(() => readFileSync(bundle, 'utf8').includes('Howdy, '), 'the rebuild')
    controller.abort()
    // Stopping is a cancellation to the caller (exit 130 on Ctrl-C), after the watcher is closed.
    await expect(watching).rejects.toMatchObject({ code: 'cancelled' })
  }, 60_000)
})
