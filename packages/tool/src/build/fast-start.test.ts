import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fixture, fixtureCopy, tempDir } from '../../test/helpers.ts'
import { readConfig } from '../config.ts'
import { codeCacheFile } from './fast-start.ts'
import { runBuild } from './run-build.ts'

const out = tempDir('fast-start')
afterAll(() => out.remove())

const run = (file: string, args: string[]) =>
  spawnSync(process.execPath, [file, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } })

describe('the CLI code cache', () => {
  const dist = join(out.dir, 'hello')
  const cli = join(dist, 'cli.mjs')
  let expected: { greet: string; help: string }
  beforeAll(async () => {
    const config = { ...(await readConfig(fixture('hello'))), outDir: dist }
    await runBuild(config, { only: ['cli'], conditions: ['source'] })
  })

  it('build writes cli.mjs with a code cache next to it, and the CLI runs as before', () => {
    expect(existsSync(join(dist, codeCacheFile))).toBe(true)
    expect(readFileSync(cli, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true)
    const greet = run(cli, ['greet', '--name', 'Ada', '--json'])
    expect([greet.status, greet.stdout, greet.stderr]).toEqual([0, '{"message":"Hello, Ada!"}\n', ''])
    const help = run(cli, ['--help'])
    expect(help.status).toBe(0)
    expect(help.stdout).toContain('Usage: hello <command> [flags]')
    const bad = run(cli, ['greet', '--nam', 'x'])
    expect([bad.status, bad.stdout]).toEqual([64, ''])
    expect(bad.stderr).toContain('did you mean "--name"?')
    expected = { greet: greet.stdout, help: help.stdout }
  })

  it('a CLI whose cache is damaged or missing still runs, compiling from source', () => {
    writeFileSync(join(dist, codeCacheFile), 'not a cache')
    expect(run(cli, ['greet', '--name', 'Ada', '--json']).stdout).toBe(expected.greet)
    rmSync(join(dist, codeCacheFile))
    expect(run(cli, ['--help']).stdout).toBe(expected.help)
  })

  it('build keeps a plain ES module CLI with a source map, or when the CLI imports a package left external', async () => {
    const maps = join(out.dir, 'maps')
    await runBuild(
      { ...(await readConfig(fixture('hello'))), outDir: maps },
      {
        only: ['cli'],
        conditions: ['source'],
        sourcemap: true,
      },
    )
    expect(existsSync(join(maps, codeCacheFile))).toBe(false)
    // A hand-written entry (no runCli) is not run at build time.
    const plain = join(out.dir, 'plain')
    await runBuild(
      { ...(await readConfig(fixture('plain'))), outDir: plain },
      { only: ['cli'], conditions: ['source'] },
    )
    expect(existsSync(join(plain, codeCacheFile))).toBe(false)
    expect(readFileSync(join(plain, 'cli.mjs'), 'utf8')).toMatch(/^#!\/usr\/bin\/env node\nimport/)
    // A CommonJS dependency bundled into the script gets a require; left external, it stays an
    // import statement, which only a module can have.
    const copy = fixtureCopy('hello')
    try {
      writeFileSync(
        join(copy.dir, 'src/bin/cli.ts'),
        [
          "import isexe from 'isexe'",
          "import { runCli } from 'manifold/cli'",
          "import app from '../core/app.ts'",
          "if (process.argv[2] === 'isexe') console.log(Boolean(isexe.sync(process.execPath)))",
          "else if (process.argv[2] === 'sqlite') console.log(await import('node:sqlite').then(() => 'yes', (e) => e.code))",
          'else await runCli(app)',
        ].join('\n'),
      )
      const config = await readConfig(copy.dir)
      const bundled = join(out.dir, 'bundled')
      await runBuild({ ...config, outDir: bundled }, { only: ['cli'], conditions: ['source'] })
      expect(existsSync(join(bundled, codeCacheFile))).toBe(true)
      expect(run(join(bundled, 'cli.mjs'), ['isexe']).stdout).toBe('true\n')
      // A built-in this Node may lack (node:sqlite before Node 22.5) fails or loads as it would unbundled.
      const sqlite = await import('node:sqlite' as string).then(
        () => 'yes',
        (e: { code?: string }) => e.code,
      )
      expect(run(join(bundled, 'cli.mjs'), ['sqlite']).stdout).toBe(`${sqlite}\n`)
      const external = join(out.dir, 'external')
      await runBuild(
        { ...config, external: [...config.external, 'isexe'], outDir: external },
        { only: ['cli'], conditions: ['source'] },
      )
      expect(existsSync(join(external, codeCacheFile))).toBe(false)
    } finally {
      copy.remove()
    }
  })
})
