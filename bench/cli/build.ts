// Bundles each CLI of the benchmark with esbuild into bench/cli/dist (gitignored).

import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

/** The CLIs compared, by file name in apps/. */
export const clis = [
  'manifold',
  'manifold-valibot',
  'manifold-plain',
  'commander',
  'trpc-cli',
  'incur',
  'parseargs',
] as const

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url))

/** Builds every CLI; returns the path and size of each bundle. */
export async function buildAll(): Promise<Record<string, { file: string; bytes: number }>> {
  const out: Record<string, { file: string; bytes: number }> = {}
  for (const name of clis) {
    const file = here(`./dist/${name}.mjs`)
    const result = await build({
      entryPoints: [here(`./apps/${name}.ts`)],
      outfile: file,
      bundle: true,
      minify: true,
      // trpc-cli checks class names at run time.
      keepNames: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      conditions: ['source'],
      // The MCP SDK is an optional peer, loaded only by `<cli> mcp`. One file per CLI: with
      // code splitting, every shared chunk is one more module to resolve and link at start.
      external: ['@modelcontextprotocol/*'],
      metafile: true,
      logLevel: 'warning',
      // Some peers ship CommonJS that calls require(); give the ESM bundle one.
      banner: {
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
