import { execFileSync } from 'node:child_process'
import { existsSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { invoke } from 'manifold'
import { afterAll, describe, expect, it } from 'vitest'
import tool from '../src/app.ts'
import { fixture, tempDir } from './helpers.ts'

const out = tempDir('sea')
afterAll(() => out.remove())

describe('manifold build --sea', () => {
  it('build --sea writes a single executable that runs --help and a command with no PATH and no Node', async () => {
    const result = await invoke(tool, 'build', {
      root: fixture('hello'),
      outDir: out.dir,
      only: ['cli'],
      sea: true,
      conditions: ['source'],
      quiet: true,
    })
    const binary = join(out.dir, 'hello')
    expect(result.sea?.path).toBe(binary)
    expect(statSync(binary).mode & 0o111).toBe(0o111)
    expect(existsSync(join(out.dir, 'sea'))).toBe(false)
    // `env -i` leaves no PATH, so nothing can find a node binary: the executable carries its own.
    const run = (...args: string[]) =>
      execFileSync('env', ['-i', binary, ...args], { encoding: 'utf8', cwd: out.dir })
    expect(run('--help')).toMatch(/^Usage: hello [\s\S]*hello 1\.0\.0\n[\s\S]*greet/)
    expect(run('greet', '--name', 'sea', '--json')).toBe('{"message":"Hello, sea!"}\n')
  }, 120_000)
})
