/**
 * One esbuild bundle per entry: ESM for Node, minified, built-ins and configured packages external.
 *
 * @module
 */
import { readFile } from 'node:fs/promises'
import { builtinModules } from 'node:module'
import { type BuildOptions, build, type Metafile } from 'esbuild'
import type { EntryKind, ManifoldConfig } from '../config.ts'
import { optionalDynamicPlugin, zodEntryPlugin } from './plugins.ts'

/** The artifact file of each entry, relative to the output directory. */
export const artifactPaths: Record<EntryKind, string> = {
  cli: 'cli.mjs',
  server: 'server.mjs',
  lambda: 'lambda/index.mjs',
  mcp: 'mcp.mjs',
}

/** Options of {@link bundleEntry}. */
export interface BundleEntryOptions {
  /** Emit a linked source map next to the bundle. */
  readonly sourcemap?: boolean
  /** `esm` (default) or `cjs` (the single-executable variant of the CLI). */
  readonly format?: 'esm' | 'cjs'
  /** Minify; defaults to true. */
  readonly minify?: boolean
  /** Extra package.json export conditions, e.g. `['source']` to bundle workspace packages from source. */
  readonly conditions?: readonly string[]
}

/** A bundle held in memory: its files and esbuild's metafile. */
export interface Bundle {
  readonly kind: EntryKind
  /** Path of the main file, relative to the output directory. */
  readonly path: string
  readonly code: Uint8Array
  /** The source map, when asked for. */
  readonly map: Uint8Array | undefined
  readonly metafile: Metafile
  /** Bare package names the bundle imports at run time (from the external list). */
  readonly externalPackages: readonly string[]
}

// ESM output still has to run CommonJS dependencies that call `require` for built-ins; esbuild's
// shim calls the global `require` when it exists, so give the module one.
const requireBanner =
  "import{createRequire as __mfRequire}from'node:module';const require=__mfRequire(import.meta.url);"

const builtins = ['node:*', ...builtinModules, ...builtinModules.map((m) => `${m}/*`)]

/**
 * The package name of a bare import path: `@scope/x/y` gives `@scope/x`, `pg/lib` gives `pg`.
 *
 * @example
 * ```ts
 * packageOf('@scope/x/y') // '@scope/x'
 * ```
 */
export function packageOf(path: string): string | undefined {
  if (path.startsWith('.') || path.startsWith('/') || path.startsWith('node:')) return undefined
  const parts = path.split('/')
  const name = path.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]
  return name === undefined || builtinModules.includes(name) ? undefined : name
}

async function hasHashbang(file: string): Promise<boolean> {
  const text = await readFile(file, 'utf8').catch(() => '')
  return text.startsWith('#!')
}

/**
 * The esbuild options manifold uses for one entry (exported for `--watch`, which keeps a context).
 *
 * @example
 * ```ts
 * const options = await esbuildOptions(config, 'server', { sourcemap: true })
 * ```
 */
export async function esbuildOptions(
  config: ManifoldConfig,
  kind: EntryKind,
  options: BundleEntryOptions = {},
): Promise<BuildOptions & { metafile: true; write: false }> {
  const entry = config.entries[kind]
  if (entry === undefined) throw new TypeError(`No "${kind}" entry in the manifold config`)
  const format = options.format ?? 'esm'
  const shebang = kind === 'cli' && !(await hasHashbang(entry)) ? '#!/usr/bin/env node\n' : ''
  const banner = format === 'esm' ? `${shebang}${requireBanner}` : shebang
  return {
    absWorkingDir: config.root,
    entryPoints: [entry],
    outfile: `${config.outDir}/${format === 'cjs' ? 'sea/cli.cjs' : artifactPaths[kind]}`,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format,
    minify: options.minify ?? true,
    sourcemap: options.sourcemap === true ? 'linked' : false,
    legalComments: 'none',
    metafile: true,
    write: false,
    logLevel: 'silent',
    external: [...builtins, ...config.external],
    banner: banner === '' ? {} : { js: banner },
    // Packages ship a `module` build for bundlers; prefer it to the CommonJS `main`.
    mainFields: ['module', 'main'],
    conditions: ['module', ...(options.conditions ?? [])],
    define: { 'process.env.NODE_ENV': '"production"' },
    plugins: [zodEntryPlugin(config.root), optionalDynamicPlugin()],
  }
}

/**
 * Bundles one entry in memory.
 *
 * @example
 * ```ts
 * const bundle = await bundleEntry(await readConfig('.'), 'lambda')
 * bundle.code.byteLength
 * ```
 */
export async function bundleEntry(
  config: ManifoldConfig,
  kind: EntryKind,
  options: BundleEntryOptions = {},
): Promise<Bundle> {
  const result = await build(await esbuildOptions(config, kind, options))
  return toBundle(kind, result.outputFiles, result.metafile)
}

/**
 * Turns esbuild's output into a {@link Bundle} (shared with the watch mode).
 *
 * @example
 * ```ts
 * const bundle = toBundle('cli', result.outputFiles, result.metafile)
 * ```
 */
export function toBundle(
  kind: EntryKind,
  outputFiles: readonly { path: string; contents: Uint8Array }[],
  metafile: Metafile,
): Bundle {
  const main = outputFiles.find((f) => !f.path.endsWith('.map'))
  if (main === undefined) throw new Error(`esbuild wrote no output for the "${kind}" entry`)
  const map = outputFiles.find((f) => f.path.endsWith('.map'))
  const externalPackages = new Set<string>()
  for (const output of Object.values(metafile.outputs)) {
    for (const imported of output.imports) {
      if (!imported.external) continue
      const name = packageOf(imported.path)
      if (name !== undefined) externalPackages.add(name)
    }
  }
  return {
    kind,
    path: artifactPaths[kind],
    code: main.contents,
    map: map?.contents,
    metafile,
    externalPackages: [...externalPackages].sort(),
  }
}
