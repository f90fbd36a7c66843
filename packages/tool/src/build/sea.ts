/**
 * `manifold build --sea`: the CLI as a Node single executable application. Node 20-24 need a CommonJS
 * main, a blob from `node --experimental-sea-config`, and `postject` to inject it into a copy of node.
 *
 * @module
 */
import { spawnSync } from 'node:child_process'
import { chmod, copyFile, mkdir, rm, stat, writeFile } from 'node:fs/promises'
import { createRequire, isBuiltin } from 'node:module'
import { dirname, join } from 'node:path'
import { build } from 'esbuild'
import { ManifoldError } from 'manifold'
import type { ManifoldConfig } from '../config.ts'
import { esbuildOptions } from './bundle.ts'

/** The fuse Node looks for to know a blob was injected (fixed by Node's SEA format). */
const seaFuse = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2'

/** Options of {@link buildSea}. */
export interface BuildSeaOptions {
  /** Extra export conditions, as for the bundles. */
  readonly conditions?: readonly string[]
  /** The node binary to copy; defaults to the one running. */
  readonly node?: string
  /** File name of the executable in the output directory; defaults to the package name. */
  readonly name?: string
}

/** What {@link buildSea} wrote. */
export interface SeaResult {
  /** Absolute path of the executable. */
  readonly path: string
  readonly size: number
}

/**
 * Builds `dist/<name>`, a single executable of the CLI entry that runs without Node on PATH.
 *
 * @example
 * ```ts
 * const { path } = await buildSea(await readConfig('.'))
 * ```
 */
export async function buildSea(config: ManifoldConfig, options: BuildSeaOptions = {}): Promise<SeaResult> {
  if (config.entries.cli === undefined) {
    throw new ManifoldError('usage', 'Cannot build a single executable: the config has no "cli" entry', {
      hint: 'Add "cli": "src/bin/cli.ts" to the "manifold" field of package.json',
    })
  }
  const work = join(config.outDir, 'sea')
  await rm(work, { recursive: true, force: true })
  await mkdir(work, { recursive: true })
  const base = await esbuildOptions(config, 'cli', {
    ...(options.conditions !== undefined ? { conditions: options.conditions } : {}),
  })
  // A SEA main is CommonJS (Node 20-24) and its `require` loads only built-ins, yet CLI entries use
  // top-level await, which CommonJS cannot express. So bundle as ESM with every built-in turned into a
  // `require` call (no import statements left) and run the module body inside an async function.
  const result = await build({
    ...base,
    external: [],
    banner: {},
    define: { ...base.define, 'import.meta.url': '__mfImportMetaUrl' },
    plugins: [
      ...(base.plugins ?? []),
      {
        name: 'manifold-sea-builtins',
        setup(b) {
          b.onResolve({ filter: /.*/ }, (args) => {
            if (!isBuiltin(args.path)) return undefined
            // The shim's own `require` is the real one.
            if (args.namespace === 'manifold-builtin') return { path: args.path, external: true }
            return { path: args.path, namespace: 'manifold-builtin' }
          })
          b.onLoad({ filter: /.*/, namespace: 'manifold-builtin' }, (args) => ({
            contents: `module.exports = require(${JSON.stringify(args.path)})`,
            loader: 'js',
          }))
          // External packages (native addons) load from node_modules next to the executable: the
          // SEA's own `require` only knows built-ins, one made from the executable's path reads disk.
          const external = new RegExp(
            `^(?:${config.external.map((e) => e.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|')})(?:/|$)`,
          )
          b.onResolve({ filter: external }, (args) => ({
            path: args.path,
            namespace: 'manifold-sea-external',
          }))
          b.onLoad({ filter: /.*/, namespace: 'manifold-sea-external' }, (args) => ({
            contents: `module.exports = require('node:module').createRequire(process.execPath)(${JSON.stringify(args.path)})`,
            loader: 'js',
          }))
        },
      },
    ],
  }).catch((error: unknown) => {
    throw new ManifoldError('invalid_input', 'Cannot bundle the CLI entry for the single executable', {
      hint: 'Packages that cannot be bundled (native addons) cannot run in a single executable',
      cause: error,
    })
  })
  const main = result.outputFiles.find((f) => !f.path.endsWith('.map'))
  if (main === undefined) throw new Error('esbuild wrote no output for the CLI')
  const body = main.text.replace(/^#![^\n]*\n/, '')
  const code = `'use strict';var __mfImportMetaUrl=require('node:url').pathToFileURL(process.execPath).href;(async()=>{${body}\n})().catch((e)=>{console.error(e);process.exitCode=70})\n`
  const check = spawnSync(process.execPath, ['--check', '-'], { input: code, encoding: 'utf8' })
  if (check.status !== 0) {
    throw new ManifoldError(
      'invalid_input',
      'Cannot turn the CLI bundle into a CommonJS single-executable main',
      {
        hint: 'The CLI entry must not export anything; move exports to another module',
      },
    )
  }
  const mainPath = join(work, 'cli.cjs')
  const blobPath = join(work, 'sea-prep.blob')
  await writeFile(mainPath, code)
  const seaConfig = {
    main: mainPath,
    output: blobPath,
    disableExperimentalSEAWarning: true,
    useCodeCache: false,
  }
  await writeFile(join(work, 'sea-config.json'), `${JSON.stringify(seaConfig, null, 2)}\n`)
  const node = options.node ?? process.execPath
  const prep = spawnSync(node, ['--experimental-sea-config', join(work, 'sea-config.json')], {
    cwd: work,
    encoding: 'utf8',
  })
  if (prep.status !== 0) {
    throw new ManifoldError(
      'unavailable',
      `Cannot prepare the single executable blob: ${prep.stderr.trim()}`,
      {
        hint: 'Single executables need Node 20.19 or newer built with SEA support',
      },
    )
  }
  const out = join(config.outDir, options.name ?? config.name)
  await rm(out, { force: true })
  await copyFile(node, out)
  await chmod(out, 0o755)
  // postject (LIEF) prints harmless ELF warnings on stdout/stderr: run it apart and keep them for errors.
  const postject = join(
    dirname(createRequire(import.meta.url).resolve('postject/package.json')),
    'dist/cli.js',
  )
  const injected = spawnSync(
    process.execPath,
    [postject, out, 'NODE_SEA_BLOB', blobPath, '--sentinel-fuse', seaFuse],
    { encoding: 'utf8' },
  )
  if (injected.status !== 0) {
    throw new ManifoldError('unavailable', `Cannot inject the blob with postject: ${injected.stderr.trim()}`)
  }
  const { size } = await stat(out)
  // The work folder (main, blob, config) only matters when something failed.
  await rm(work, { recursive: true, force: true })
  return { path: out, size }
}
