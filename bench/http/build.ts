/**
 * Compiles benchmark entry points to plain JavaScript with esbuild, so no TypeScript loader
 * runs on the hot path. Packages stay external (the peers run their published builds);
 * manifold is bundled from its source, as `manifold build` ships it.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

/** Inside node_modules (ignored by git) so the bundles resolve packages from the workspace. */
export const outdir = fileURLToPath(new URL('../node_modules/.cache/manifold-bench-http/', import.meta.url))
const manifoldSrc = fileURLToPath(new URL('../../packages/manifold/src/', import.meta.url))

/** Options of {@link compile}. */
export interface CompileOptions {
  /** Where manifold's source is; defaults to this checkout's `packages/manifold/src/`. */
  readonly manifoldSrc?: string
  /** A folder under the output folder, for builds of another manifold. */
  readonly subdir?: string
}

/** Builds each entry to `<outdir>/<subdir?>/<name>.mjs`. */
export async function compile(entries: readonly string[], options: CompileOptions = {}): Promise<void> {
  const src = options.manifoldSrc ?? manifoldSrc
  await build({
    entryPoints: [...new Set(entries)],
    outdir: join(outdir, options.subdir ?? ''),
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    outExtension: { '.js': '.mjs' },
    logLevel: 'warning',
    plugins: [
      {
        name: 'manifold-source',
        setup(b) {
          b.onResolve({ filter: /^manifold(\/[a-z]+)?$/ }, (args) => ({
            path: join(src, args.path === 'manifold' ? 'index.ts' : `${args.path.slice(9)}/index.ts`),
          }))
        },
      },
    ],
  })
}

/** A file beside this one, as a path. */
export const here = (name: string): string => fileURLToPath(new URL(name, import.meta.url))

/**
 * Builds `peers/manifold.ts` against manifold's source as it was at a git commit, into
 * `<outdir>/base/` (the `--base <ref>` of the runners).
 */
export async function compileBase(ref: string): Promise<void> {
  const root = execFileSync('git', ['rev-parse', '--show-toplevel'], { encoding: 'utf8' }).trim()
  const tree = mkdtempSync(join(tmpdir(), 'manifold-bench-base-'))
  const archive = execFileSync('git', ['-C', root, 'archive', ref, 'packages/manifold/src'])
  execFileSync('tar', ['-x', '-C', tree], { input: archive })
  await compile([here('./peers/manifold.ts')], {
    manifoldSrc: join(tree, 'packages/manifold/src/'),
    subdir: 'base',
  })
}
