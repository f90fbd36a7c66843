import { type SpawnSyncReturns, spawnSync } from 'node:child_process'
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
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

/**
 * Builds and packs copies of the local packages, so the shared dist/ folders other tests and the
 * tool's bin may be reading are never rebuilt under them. The copies live inside the workspace so
 * TypeScript still finds @types/node; tsc emits even when a package has a type error in progress.
 */
function packLocal(packs: string): void {
  const copy = mkdtempSync(fileURLToPath(new URL('./.tmp-pack-', import.meta.url)))
  try {
    cpSync(join(workspace, 'tsconfig.json'), join(copy, 'tsconfig.json'))
    const parts = {
      manifold: ['package.json', 'tsconfig.build.json', 'src'],
      tool: ['package.json', 'tsconfig.build.json', 'src', 'bin', 'templates'],
    }
    for (const [name, files] of Object.entries(parts)) {
      const from = join(workspace, 'packages', name)
      const to = join(copy, 'packages', name)
      // Test files stay behind: a vitest run starting meanwhile must not find them here.
      const filter = (src: string) => !/\.test(-d)?\.ts$/.test(src)
      for (const file of files) cpSync(join(from, file), join(to, file), { recursive: true, filter })
      sh(join(workspace, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.build.json'], to)
      ok(sh('npm', ['pack', '--pack-destination', packs], to), `npm pack ${name}`)
    }
    expect(readdirSync(packs).sort()).toEqual(['manifold-0.1.0.tgz', 'manifold-tool-0.1.0.tgz'])
  } finally {
    rmSync(copy, { recursive: true, force: true })
  }
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
    const packs = join(tmp.dir, 'packs')
    mkdirSync(packs)
    packLocal(packs)
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
    expect(ok(sh('npm', ['test'], dir), 'npm test')).toMatch(/(#|ℹ) pass 2/)
    ok(sh('npm', ['run', 'build'], dir), 'npm run build')
    for (const file of ['cli.mjs', 'server.mjs', 'lambda/index.mjs', 'lambda.zip', 'mcp.mjs']) {
      expect(existsSync(join(dir, 'dist', file))).toBe(true)
    }
    const added = ok(sh(join(dir, 'dist/cli.mjs'), ['add', 'Buy milk', '--json'], dir), 'dist/cli.mjs add')
    expect(JSON.parse(added)).toMatchObject({ id: '1', title: 'Buy milk', body: '' })
  }, 300_000)
})
