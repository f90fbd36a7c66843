// Bundles each CLI of the benchmark with esbuild into bench/cli/dist (gitignored). The manifold
// CLIs go through the bundler of `manifold build` itself (what an app ships: the MCP SDK in
// files of its own next to the CLI); the peers through plain esbuild.

import { mkdir, rm, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { bundleEntry } from '../../packages/tool/src/build/bundle.ts'
import { codeCacheFile } from '../../packages/tool/src/build/fast-start.ts'
import { toConfig } from '../../packages/tool/src/config.ts'

/** A manifold CLI as `manifold build` bundles it; bytes are those of the files read at start. */
async function buildManifold(name: string, file: string): Promise<{ file: string; bytes: number }> {
  const root = here('../..')
  const config = {
    ...toConfig(root, { name: 'bench', manifold: { cli: here(`./apps/${name}.ts`) } }),
    outDir: join(dirname(file), name),
  }
  const bundle = await bundleEntry(config, 'cli', { conditions: ['source'] })
  await rm(config.outDir, { recursive: true, force: true })
  for (const f of [{ path: bundle.path, code: bundle.code }, ...(bundle.lazyFiles ?? [])]) {
    await mkdir(dirname(join(config.outDir, f.path)), { recursive: true })
    await writeFile(join(config.outDir, f.path), f.code)
  }
  // cli.mjs.cache is read at start too.
  const cache = bundle.lazyFiles?.find((f) => f.path === codeCacheFile)?.code.byteLength ?? 0
  return { file: join(config.outDir, bundle.path), bytes: bundle.code.byteLength + cache }
}

/** The CLIs compared, by file name in apps/. */
export const clis = [
  'manifold',
  'manifold-valibot',
  'manifold-plain',
  'commander',
  'trpc-cli',
  'incur',
  'parseargs',
  'parseargs-bare',
] as const

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url))

/** Builds every CLI; returns the path and size of each bundle. */
export async function buildAll(): Promise<Record<string, { file: string; bytes: number }>> {
  const out: Record<string, { file: string; bytes: number }> = {}
  for (const name of clis) {
    const file = here(`./dist/${name}.mjs`)
    if (name.startsWith('manifold')) {
      out[name] = await buildManifold(name, file)
      continue
    }
    // parseargs-bare: the same script without the require banner (it needs none), as it runs unbundled.
    const bare = name === 'parseargs-bare'
    const result = await build({
      entryPoints: [here(`./apps/${bare ? 'parseargs' : name}.ts`)],
      outfile: file,
      bundle: true,
      minify: true,
      // trpc-cli checks class names at run time.
      keepNames: name === 'trpc-cli',
      platform: 'node',
      format: 'esm',
      target: 'node20',
      conditions: ['source'],
      // As before: the MCP SDK of a peer (incur) stays out of its bundle, which flatters the peer.
      external: ['@modelcontextprotocol/*'],
      metafile: true,
      logLevel: 'warning',
      // Some peers ship CommonJS that calls require(); give the ESM bundle one (manifold's plain
      // ES module bundles carry the same line; its code-cached cli.mjs makes one only for CommonJS).
      banner: bare
        ? {}
        : {
            js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
          },
    })
    const bytes = Object.values(result.metafile.outputs).reduce((sum, o) => sum + o.bytes, 0)
    out[name] = { file, bytes }
  }
  return out
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const [name, { bytes }] of Object.entries(await buildAll()))
    console.log(`${name}: ${(bytes / 1024).toFixed(1)} KB`)
}
