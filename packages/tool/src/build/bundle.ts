/**
 * One esbuild bundle per entry: ESM for Node, minified, built-ins and configured packages external.
 *
 * @module
 */
import { readFile } from 'node:fs/promises'
import { builtinModules } from 'node:module'
import { type BuildOptions, build, type Metafile, type Plugin } from 'esbuild'
import type { EntryKind, ManifoldConfig } from '../config.ts'
import { codeCacheFile, fastStartCli } from './fast-start.ts'
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
  /**
   * Give `cli.mjs` a V8 code cache (see `fast-start.ts`); defaults to true. Ignored with a source
   * map (stack traces would point into a string) and where the CLI cannot run as a script.
   */
  readonly codeCache?: boolean
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
  /**
   * Files the main file loads lazily, relative to the output directory: the MCP SDK of the CLI,
   * kept out of `cli.mjs` so that it costs only `<cli> mcp`, not every start, and the CLI's code
   * cache (`cli.mjs.cache`).
   */
  readonly lazyFiles?: readonly { readonly path: string; readonly code: Uint8Array }[]
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
  const base = await esbuildOptions(config, kind, options)
  if (kind !== 'cli' || (options.format ?? 'esm') !== 'esm') {
    const result = await build(base)
    return toBundle(kind, result.outputFiles, result.metafile)
  }
  const lazy = new Map<string, string>()
  const result = await build({ ...base, plugins: [lazySdkPlugin(lazy), ...(base.plugins ?? [])] })
  let bundle = toBundle(kind, result.outputFiles, result.metafile)
  if (options.codeCache !== false && options.sourcemap !== true) {
    const fast = await fastStartCli(base, [lazySdkPlugin(new Map()), ...(base.plugins ?? [])])
    if (fast !== undefined) {
      bundle = { ...bundle, code: fast.code, lazyFiles: [{ path: codeCacheFile, code: fast.cache }] }
    }
  }
  if (lazy.size === 0) return bundle
  return { ...bundle, lazyFiles: [...(bundle.lazyFiles ?? []), ...(await bundleLazySdk(base, lazy))] }
}

/** Where the CLI's lazily loaded MCP SDK goes, relative to the output directory. */
export const lazySdkDir = 'cli-mcp-sdk'

/** `@modelcontextprotocol/server/stdio` -> `server-stdio`. */
const lazyName = (specifier: string) => specifier.replace(/^@modelcontextprotocol\//, '').replaceAll('/', '-')

/**
 * The MCP SDK is half a megabyte that only `<cli> mcp` runs. Inlined into `cli.mjs` (esbuild puts
 * every dynamic import of a single-file bundle into that file), it is parsed at every start, and
 * the modules it shares with the app (zod) get wrapped in lazy initialisers. So the CLI imports it
 * from files of its own next to `cli.mjs`, bundled separately by {@link bundleLazySdk}.
 */
function lazySdkPlugin(found: Map<string, string>): Plugin {
  return {
    name: 'manifold-lazy-sdk',
    setup(b) {
      b.onResolve({ filter: /^@modelcontextprotocol\// }, async (args) => {
        // pluginData is set when another manifold plugin resolves the same path: let that one finish.
        if (args.kind !== 'dynamic-import' || args.pluginData !== undefined) return undefined
        const resolved = await b.resolve(args.path, {
          kind: args.kind,
          resolveDir: args.resolveDir,
          importer: args.importer,
          pluginData: 'manifold-lazy-sdk',
        })
        // Not installed: the optional-dynamic plugin leaves the import as it is.
        if (resolved.errors.length > 0 || resolved.external) return undefined
        found.set(lazyName(args.path), resolved.path)
        return { path: `./${lazySdkDir}/${lazyName(args.path)}.mjs`, external: true }
      })
    },
  }
}

/** The MCP SDK entries the CLI imports, as ESM files with shared chunks, in {@link lazySdkDir}. */
async function bundleLazySdk(
  base: BuildOptions,
  entries: ReadonlyMap<string, string>,
): Promise<{ path: string; code: Uint8Array }[]> {
  const outdir = `${base.outfile?.replace(/\/[^/]*$/, '') ?? '.'}/${lazySdkDir}`
  const { outfile: _outfile, banner: _banner, ...rest } = base
  const result = await build({
    ...rest,
    entryPoints: [...entries].map(([out, path]) => ({ in: path, out })),
    outdir,
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunk-[hash]',
    splitting: true,
    sourcemap: false,
    banner: { js: requireBanner },
  })
  return (result.outputFiles ?? [])
    .filter((f) => f.path.endsWith('.mjs'))
    .map((f) => ({ path: `${lazySdkDir}/${f.path.slice(outdir.length + 1)}`, code: f.contents }))
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
