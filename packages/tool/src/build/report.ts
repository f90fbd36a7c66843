/**
 * Sizes of each artifact (raw and gzip), its largest modules, and the budget check.
 *
 * @module
 */
import { gzipSync } from 'node:zlib'
import type { Metafile } from 'esbuild'
import type { Budget, EntryKind } from '../config.ts'

/** One module's share of a bundle. */
export interface ModuleSize {
  readonly path: string
  readonly bytes: number
}

/** What `manifold build` reports for one artifact. */
export interface ArtifactReport {
  readonly entry: EntryKind
  /** Path relative to the project. */
  readonly file: string
  readonly raw: number
  readonly gzip: number
  /** The five largest inputs by bytes in the output. */
  readonly largest: readonly ModuleSize[]
  /** Size of the Lambda zip, when this is the Lambda entry. */
  readonly zip?: number
}

/**
 * Shortens an input path for display: `node_modules/zod/v4/core/schemas.js` stays readable.
 *
 * @example
 * ```ts
 * displayPath('../../node_modules/zod/v4/core/util.js') // 'zod/v4/core/util.js'
 * ```
 */
export function displayPath(path: string): string {
  const p = path.replaceAll('\\', '/')
  const nm = p.lastIndexOf('node_modules/')
  if (nm >= 0) return p.slice(nm + 'node_modules/'.length)
  return p.replace(/^(\.\.\/)+/, '')
}

/**
 * The largest inputs of a bundle by bytes written to the output.
 *
 * @example
 * ```ts
 * largestModules(bundle.metafile, 5)
 * ```
 */
export function largestModules(metafile: Metafile, count = 5): ModuleSize[] {
  const sizes = new Map<string, number>()
  for (const output of Object.values(metafile.outputs)) {
    for (const [path, input] of Object.entries(output.inputs)) {
      sizes.set(path, (sizes.get(path) ?? 0) + input.bytesInOutput)
    }
  }
  return [...sizes]
    .filter(([, bytes]) => bytes > 0)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, count)
    .map(([path, bytes]) => ({ path: displayPath(path), bytes }))
}

/**
 * Raw and gzip (level 9) sizes of some bytes.
 *
 * @example
 * ```ts
 * sizesOf(new TextEncoder().encode('export {}')) // { raw: 9, gzip: 29 }
 * ```
 */
export function sizesOf(code: Uint8Array): { raw: number; gzip: number } {
  return { raw: code.byteLength, gzip: gzipSync(code, { level: 9 }).byteLength }
}

/**
 * Formats a byte count the way the table shows it: `812 B`, `41.3 KB`, `1.02 MB`.
 *
 * @example
 * ```ts
 * formatBytes(42_300) // '41.3 KB'
 * ```
 */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`
  return `${(bytes / 1024 / 1024).toFixed(2)} MB`
}

/**
 * Lists the budget limits an artifact exceeds, as sentences.
 *
 * @example
 * ```ts
 * overBudget(report, { gzip: 40 * 1024 }) // [] when within budget
 * ```
 */
export function overBudget(report: ArtifactReport, budget: Budget | undefined): string[] {
  if (budget === undefined) return []
  const over: string[] = []
  if (budget.raw !== undefined && report.raw > budget.raw) {
    over.push(
      `The "${report.entry}" bundle is ${formatBytes(report.raw)}, over its budget of ${formatBytes(budget.raw)}`,
    )
  }
  if (budget.gzip !== undefined && report.gzip > budget.gzip) {
    over.push(
      `The "${report.entry}" bundle is ${formatBytes(report.gzip)} gzipped, over its budget of ${formatBytes(budget.gzip)}`,
    )
  }
  return over
}

function pad(cells: readonly string[], widths: readonly number[], right: ReadonlySet<number>): string {
  return cells
    .map((c, i) => (right.has(i) ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
    .join('  ')
    .trimEnd()
}

/**
 * Renders the build table: one block per artifact with its sizes and five largest modules.
 *
 * @example
 * ```ts
 * process.stderr.write(formatReport(reports))
 * ```
 */
export function formatReport(reports: readonly ArtifactReport[]): string {
  const lines: string[] = []
  for (const r of reports) {
    const head = [r.file, `${formatBytes(r.raw)} raw`, `${formatBytes(r.gzip)} gzip`]
    if (r.zip !== undefined) head.push(`zip ${formatBytes(r.zip)}`)
    lines.push(`${r.entry.padEnd(7)} ${head.join('  ')}`)
    const rows = r.largest.map((m) => [
      `  ${m.path}`,
      formatBytes(m.bytes),
      `${((m.bytes / r.raw) * 100).toFixed(1)}%`,
    ])
    const widths = [0, 1, 2].map((i) => Math.max(0, ...rows.map((row) => row[i]?.length ?? 0)))
    for (const row of rows) lines.push(`  ${pad(row, widths, new Set([1, 2]))}`)
  }
  return `${lines.join('\n')}\n`
}
