import { type SpawnSyncReturns, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { invoke } from 'manifold'
import { afterAll, describe, expect, it } from 'vitest'
import tool from '../src/app.ts'
import { tempDir } from './helpers.ts'

const workspace = fileURLToPath(new URL('../../../', import.meta.url))
const tmp = tempDir('init')
afterAll(() => tmp.remove())

function sh(command: string, args: string[], cwd: string): SpawnSyncReturns<string> {
  return spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
    timeout: 240_000,
  })
}

function ok(result: SpawnSyncReturns<string>, what: string): string {
  if (result.status !== 0)
    throw new Error(`${what} failed (${result.status}):\n${result.stdout}\n${result.stderr}`)
  return result.stdout
}

describe('manifold init', () => {
  it('manifold init scaffolds the layout for each template and refuses a folder that is not empty', async () => {
    for (const template of ['minimal', 'notes'] as const) {
      const dir = join(tmp.dir, `layout-${template}`)
      const { files } = await invoke(tool, 'init', { dir, template })
      expect(files).toEqual(
        expect.arrayContaining([
          '.gitignore',
          'README.md',
          'package.json',
          'src/bin/cli.ts',
          'src/bin/lambda.ts',
          'src/bin/mcp.ts',
          'src/bin/server.ts',
          'src/core/app.ts',
          'test/app.test.ts',
        ]),
      )
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string }
      expect(pkg.name).toBe(`layout-${template}`)
      expect(readFileSync(join(dir, 'README.md'), 'utf8')).toMatch(/```sh\nnpm install\nnpm run build && /)
      await expect(invoke(tool, 'init', { dir, template })).rejects.toThrow(/is not empty/)
    }
  })

  // One slow end-to-end test: pack the local packages, scaffold, install from the tarballs (other
  // packages come from the npm registry or its cache), then the new project's own test and build.
  it('manifold init gives a project whose npm test and npm run build pass with the packed packages', async () => {
    // tsc emits even when another package has a type error in progress; what matters here is dist/.
    sh('npm', ['run', 'build', '-w', 'manifold', '-w', '@manifold/tool'], workspace)
    expect(existsSync(join(workspace, 'packages/manifold/dist/index.js'))).toBe(true)
    expect(existsSync(join(workspace, 'packages/tool/dist/bin/manifold.js'))).toBe(true)
    const packs = join(tmp.dir, 'packs')
    mkdirSync(packs)
    ok(
      sh('npm', ['pack', '-w', 'manifold', '-w', '@manifold/tool', '--pack-destination', packs], workspace),
      'npm pack',
    )
    const tarball = (prefix: string) => {
      const name = readdirSync(packs).find((f) => f.startsWith(prefix))
      if (name === undefined) throw new Error(`No ${prefix} tarball in ${packs}`)
      return `file:${join(packs, name)}`
    }

    const dir = join(tmp.dir, 'my-notes')
    await invoke(tool, 'init', { dir, template: 'notes' })
    const pkgFile = join(dir, 'package.json')
    const pkg = JSON.parse(readFileSync(pkgFile, 'utf8'))
    pkg.dependencies.manifold = tarball('manifold-0')
    pkg.devDependencies['@manifold/tool'] = tarball('manifold-tool-')
    // The tool depends on "manifold": the packed one, not a registry package of that name.
    pkg.overrides = { manifold: '$manifold' }
    writeFileSync(pkgFile, JSON.stringify(pkg, null, 2))

    ok(sh('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline'], dir), 'npm install')
    expect(ok(sh('npm', ['test'], dir), 'npm test')).toMatch(/# pass 2/)
    ok(sh('npm', ['run', 'build'], dir), 'npm run build')
    for (const file of ['cli.mjs', 'server.mjs', 'lambda/index.mjs', 'lambda.zip', 'mcp.mjs']) {
      expect(existsSync(join(dir, 'dist', file))).toBe(true)
    }
    const added = ok(sh(join(dir, 'dist/cli.mjs'), ['add', 'Buy milk', '--json'], dir), 'dist/cli.mjs add')
    expect(JSON.parse(added)).toMatchObject({ id: '1', title: 'Buy milk', body: '' })
  }, 300_000)
})
