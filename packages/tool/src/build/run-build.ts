/**
 * `manifold build`: bundle every entry, check separation and budgets, write the artifacts.
 *
 * @module
 */
import { chmod, mkdir, rm, writeFile } from 'node:fs/promises'
import { dirname, join, relative } from 'node:path'
import type { Message } from 'esbuild'
import { ManifoldError, UsageError } from 'manifold'
import { type EntryKind, entryKinds, type ManifoldConfig } from '../config.ts'
import { type Bundle, type BundleEntryOptions, bundleEntry, lazySdkDir } from './bundle.ts'
import { codeCacheFile } from './fast-start.ts'
import { lambdaZipEntries } from './lambda-zip.ts'
import { type ArtifactReport, largestModules, overBudget, sizesOf } from './report.ts'
import { checkSeparation, formatViolations } from './separation.ts'
import { createZip } from './zip.ts'

/** Options of {@link runBuild}. */
export interface RunBuildOptions extends Pick<BundleEntryOptions, 'sourcemap' | 'conditions'> {
  /** Build only these entries; defaults to every entry in the config. */
  readonly only?: readonly EntryKind[]
  /** Where notes (missing externals, copied packages) go; defaults to nowhere. */
  readonly warn?: (line: string) => void
}

/** What {@link runBuild} built. */
export interface BuildResult {
  readonly reports: readonly ArtifactReport[]
  readonly bundles: readonly Bundle[]
  /** Absolute paths of every file written. */
  readonly files: readonly string[]
}

function formatEsbuildErrors(errors: readonly Message[]): string {
  return errors
    .slice(0, 5)
    .map((e) =>
      e.location ? `${e.location.file}:${e.location.line}:${e.location.column}: ${e.text}` : e.text,
    )
    .join('\n')
}

function isBuildFailure(error: unknown): error is { errors: Message[] } {
  return typeof error === 'object' && error !== null && Array.isArray((error as { errors?: unknown }).errors)
}

/**
 * Bundles one entry, turning esbuild failures into a `ManifoldError` that names the entry.
 *
 * @example
 * ```ts
 * const bundle = await bundleOrFail(config, 'lambda', { sourcemap: true })
 * ```
 */
export async function bundleOrFail(
  config: ManifoldConfig,
  kind: EntryKind,
  options: BundleEntryOptions,
): Promise<Bundle> {
  try {
    return await bundleEntry(config, kind, options)
  } catch (error) {
    if (!isBuildFailure(error)) throw error
    throw new ManifoldError(
      'invalid_input',
      `Cannot bundle the "${kind}" entry:\n${formatEsbuildErrors(error.errors)}`,
      {
        hint: 'Fix the import or syntax error above; packages that cannot be bundled go in "manifold.external"',
        cause: error,
      },
    )
  }
}

/**
 * Checks bundles against the separation rules and budgets; throws one error listing every failure.
 *
 * @example
 * ```ts
 * assertBuildRules(config, bundles, reports)
 * ```
 */
export function assertBuildRules(
  config: ManifoldConfig,
  bundles: readonly Bundle[],
  reports: readonly ArtifactReport[],
): void {
  const violations = bundles.flatMap((b) =>
    checkSeparation(b.kind, b.metafile, {
      root: config.root,
      ...(config.allow[b.kind] !== undefined ? { allow: config.allow[b.kind] } : {}),
    }),
  )
  const over = reports.flatMap((r) => overBudget(r, config.budgets[r.entry]))
  if (violations.length === 0 && over.length === 0) return
  const lines = [...(violations.length > 0 ? [formatViolations(violations)] : []), ...over]
  throw new ManifoldError('invalid_input', `Build failed:\n${lines.join('\n')}`, {
    hint:
      violations.length > 0
        ? 'Import each adapter only from its own entry file (src/bin/<entry>.ts), or allow it with "manifold.allow"'
        : 'Trim the bundle (see its largest modules) or raise "manifold.budgets"',
    errors: [
      ...violations.map((v) => ({ path: v.entry, message: `contains ${v.label}` })),
      ...over.map((message) => ({ path: 'budgets', message })),
    ],
  })
}

/**
 * Reports, zips, checks and writes bundles that are already built (shared by `runBuild` and `--watch`).
 * Nothing is written when a separation rule or a budget fails.
 *
 * @example
 * ```ts
 * const reports = await writeBundles(config, [await bundleEntry(config, 'cli')])
 * ```
 */
export async function writeBundles(
  config: ManifoldConfig,
  bundles: readonly Bundle[],
  options: Pick<RunBuildOptions, 'warn'> = {},
): Promise<BuildResult> {
  const zips = new Map<EntryKind, Buffer>()
  const reports: ArtifactReport[] = []
  for (const bundle of bundles) {
    const absolute = join(config.outDir, bundle.path)
    const rel = relative(config.root, absolute)
    const file = (rel.startsWith('..') ? absolute : rel).replaceAll('\\', '/')
    const report: ArtifactReport = {
      entry: bundle.kind,
      file,
      ...sizesOf(bundle.code),
      largest: largestModules(bundle.metafile),
    }
    if (bundle.kind === 'lambda') {
      const pkg = await lambdaZipEntries(bundle, config.root)
      if (pkg.copied.length > 0) options.warn?.(`lambda.zip includes node_modules: ${pkg.copied.join(', ')}`)
      for (const name of pkg.missing) {
        options.warn?.(
          `The "lambda" bundle imports "${name}", which is not installed; it is left out of the zip`,
        )
      }
      const zip = createZip(pkg.entries)
      zips.set('lambda', zip)
      reports.push({ ...report, zip: zip.byteLength })
    } else {
      reports.push(report)
    }
  }
  assertBuildRules(config, bundles, reports)
  const files: string[] = []
  const write = async (path: string, data: Uint8Array, mode?: number): Promise<void> => {
    await mkdir(dirname(path), { recursive: true })
    await writeFile(path, data)
    if (mode !== undefined) await chmod(path, mode)
    files.push(path)
  }
  for (const bundle of bundles) {
    const path = join(config.outDir, bundle.path)
    await rm(`${path}.map`, { force: true })
    // A code cache of an earlier build (cli.mjs.cache) must not outlive its cli.mjs.
    if (bundle.kind === 'cli') await rm(join(config.outDir, codeCacheFile), { force: true })
    await write(path, bundle.code, bundle.kind === 'cli' ? 0o755 : undefined)
    if (bundle.map !== undefined) await write(`${path}.map`, bundle.map)
    if (bundle.lazyFiles !== undefined) {
      await rm(join(config.outDir, lazySdkDir), { recursive: true, force: true })
      for (const f of bundle.lazyFiles) await write(join(config.outDir, f.path), f.code)
    }
  }
  const zip = zips.get('lambda')
  if (zip !== undefined) await write(join(config.outDir, 'lambda.zip'), zip)
  return { reports, bundles, files }
}

/**
 * The entries a build covers: those in the config, narrowed to `only` when given.
 *
 * @example
 * ```ts
 * selectedEntries(config, ['cli', 'lambda']) // those of the two the config has
 * ```
 */
export function selectedEntries(config: ManifoldConfig, only?: readonly EntryKind[]): EntryKind[] {
  const missing = only?.filter((k) => config.entries[k] === undefined) ?? []
  if (missing.length > 0) {
    throw new UsageError(`The config has no "${missing.join('", "')}" entry to build`, {
      hint: `Build one of: ${entryKinds.filter((k) => config.entries[k] !== undefined).join(', ')}`,
    })
  }
  return entryKinds.filter((k) => config.entries[k] !== undefined && (only === undefined || only.includes(k)))
}

/**
 * Builds every entry of a project into its output directory and returns the size reports.
 * Nothing is written when a separation rule or a budget fails.
 *
 * @example
 * ```ts
 * const { reports } = await runBuild(await readConfig('.'), { sourcemap: true })
 * ```
 */
export async function runBuild(config: ManifoldConfig, options: RunBuildOptions = {}): Promise<BuildResult> {
  const bundleOptions: BundleEntryOptions = {
    ...(options.sourcemap !== undefined ? { sourcemap: options.sourcemap } : {}),
    ...(options.conditions !== undefined ? { conditions: options.conditions } : {}),
  }
  const kinds = selectedEntries(config, options.only)
  const bundles = await Promise.all(kinds.map((kind) => bundleOrFail(config, kind, bundleOptions)))
  return writeBundles(config, bundles, options)
}
