import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build, type Plugin } from 'esbuild'
import { afterAll, describe, expect, it } from 'vitest'
import { optionalDynamicPlugin, zodEntryPlugin } from './plugins.ts'

// Inside the package so `zod` resolves from the workspace's node_modules.
const dir = mkdtempSync(fileURLToPath(new URL('../../test/.tmp-plugins-', import.meta.url)))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

async function bundle(name: string, source: string, plugins: Plugin[]): Promise<string> {
  const entry = join(dir, `${name}.ts`)
  writeFileSync(entry, source)
  const outfile = join(dir, `${name}.mjs`)
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    logLevel: 'silent',
    plugins,
  })
  return outfile
}

const run = (file: string) => execFileSync(process.execPath, [file], { encoding: 'utf8', stdio: 'pipe' })

describe('zodEntryPlugin', () => {
  const source = [
    "import * as z from 'zod'",
    "console.log(z.object({ a: z.string() }).parse({ a: 'static' }).a)",
    "const v4 = await import('zod/v4')",
    "console.log(v4.string().parse('dynamic'))",
  ].join('\n')

  it('zodEntryPlugin keeps a bundle working that imports zod statically and zod/v4 lazily', async () => {
    expect(run(await bundle('with', source, [zodEntryPlugin(dir)]))).toBe('static\ndynamic\n')
  })

  it('zodEntryPlugin is needed: without it esbuild initialises zod out of order', async () => {
    // If esbuild fixes this, the plugin can go: this test then fails and says so.
    const file = await bundle('without', source, [])
    expect(() => run(file)).toThrow(/is not a constructor/)
  })
})

describe('optionalDynamicPlugin', () => {
  it('optionalDynamicPlugin leaves an uninstalled package that is only imported lazily to run time', async () => {
    const file = await bundle(
      'optional',
      "try { await import('manifold-not-installed-x') } catch (e) { console.log(e.code) }",
      [optionalDynamicPlugin()],
    )
    expect(run(file)).toBe('ERR_MODULE_NOT_FOUND\n')
  })

  it('optionalDynamicPlugin still fails the build for a missing static import', async () => {
    await expect(
      bundle('static', "import 'manifold-not-installed-x'", [optionalDynamicPlugin()]),
    ).rejects.toThrow(/Could not resolve "manifold-not-installed-x"/)
  })
})
