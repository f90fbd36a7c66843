/**
 * The Lambda deployment package: `index.mjs` at the root plus, under `node_modules/`, every external
 * package the bundle imports (native addons such as better-sqlite3) with its dependencies.
 *
 * @module
 */
import { readdir, readFile, stat } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join, relative } from 'node:path'
import type { Bundle } from './bundle.ts'
import type { ZipEntry } from './zip.ts'

// Sources, build intermediates and docs of installed packages: never needed at run time, and they
// would multiply the zip (better-sqlite3 alone carries 9 MB of SQLite C sources).
const skippedDirs = new Set([
  'deps',
  'src',
  'test',
  'tests',
  'docs',
  'obj',
  'obj.target',
  '.deps',
  '.github',
  'benchmark',
])
// Dependencies that only run at install time (they fetch or compile the native part).
const installOnly = new Set(['prebuild-install', 'node-gyp', 'node-gyp-build-optional-packages', 'prebuild'])
const skippedFiles =
  /\.(?:md|markdown|c|cc|cpp|h|hpp|gyp|gypi|mk|o|a|ts|map)$|^(?:Makefile|\.npmignore|\.travis\.yml)$/

/**
 * Finds the folder of an installed package, as Node would from `from`.
 *
 * @example
 * ```ts
 * packageDir('better-sqlite3', process.cwd()) // '/app/node_modules/better-sqlite3'
 * ```
 */
export function packageDir(name: string, from: string): string | undefined {
  const require = createRequire(join(from, 'noop.js'))
  try {
    return dirname(require.resolve(`${name}/package.json`))
  } catch {
    // Packages without "./package.json" in their exports: walk up node_modules folders instead.
    const paths = require.resolve.paths(name) ?? []
    for (const base of paths) {
      try {
        require.resolve(join(base, name, 'package.json'))
        return join(base, name)
      } catch {}
    }
    return undefined
  }
}

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = []
  for (const item of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, item.name)
    if (item.isDirectory()) {
      if (skippedDirs.has(item.name) || item.name === 'node_modules') continue
      out.push(...(await listFiles(full)))
    } else if (item.isFile() && !skippedFiles.test(item.name)) {
      out.push(full)
    }
  }
  return out
}

/** The result of {@link lambdaZipEntries}. */
export interface LambdaPackage {
  readonly entries: ZipEntry[]
  /** External packages copied into the zip, dependencies included. */
  readonly copied: readonly string[]
  /** External packages the bundle imports that are not installed (fine when required lazily). */
  readonly missing: readonly string[]
}

/**
 * Lists the files of the Lambda zip for a bundle.
 *
 * @example
 * ```ts
 * const { entries } = await lambdaZipEntries(bundle, config.root)
 * await writeFile('dist/lambda.zip', createZip(entries))
 * ```
 */
export async function lambdaZipEntries(bundle: Bundle, root: string): Promise<LambdaPackage> {
  const entries: ZipEntry[] = [{ path: 'index.mjs', data: bundle.code }]
  if (bundle.map !== undefined) entries.push({ path: 'index.mjs.map', data: bundle.map })
  const copied: string[] = []
  const missing: string[] = []
  const queue = bundle.externalPackages.map((name) => ({ name, from: root, direct: true }))
  const seen = new Set<string>()
  while (queue.length > 0) {
    const next = queue.shift()
    if (next === undefined || seen.has(next.name) || installOnly.has(next.name)) continue
    seen.add(next.name)
    const dir = packageDir(next.name, next.from)
    if (dir === undefined) {
      if (next.direct) missing.push(next.name)
      continue
    }
    copied.push(next.name)
    for (const file of await listFiles(dir)) {
      const info = await stat(file)
      entries.push({
        path: `node_modules/${next.name}/${relative(dir, file).replaceAll('\\', '/')}`,
        data: await readFile(file),
        mode: info.mode & 0o111 ? 0o755 : 0o644,
      })
    }
    const pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>
    }
    for (const dep of Object.keys(pkg.dependencies ?? {})) queue.push({ name: dep, from: dir, direct: false })
  }
  return { entries, copied: copied.sort(), missing: missing.sort() }
}
