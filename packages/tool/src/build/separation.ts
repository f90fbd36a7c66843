/**
 * Proves from esbuild's metafile that entries stay apart: no CLI parser or MCP code in the Lambda and
 * server bundles, no HTTP server in the CLI bundle.
 *
 * @module
 */
import { resolve } from 'node:path'
import type { Metafile } from 'esbuild'
import type { EntryKind } from '../config.ts'

/** A family of code that some entries must not contain. */
export interface Surface {
  readonly name: 'cli' | 'mcp' | 'http-server'
  /** What a reader sees in the error. */
  readonly label: string
  /** Matches a bundled input path (relative to the project, `/` separators). */
  readonly input: RegExp
  /** Matches an external import kept in the bundle. */
  readonly external?: RegExp
}

// Paths of manifold's adapters, whether bundled from the workspace sources, an installed dist, or a
// scaffolded project's node_modules.
const manifoldDir = '(?:^|/)(?:packages/manifold|node_modules/manifold)/(?:src|dist)'

/** The code families the check knows. */
export const surfaces: readonly Surface[] = [
  { name: 'cli', label: 'the CLI parser (manifold/cli)', input: new RegExp(`${manifoldDir}/cli/`) },
  {
    name: 'mcp',
    label: 'MCP code (manifold/mcp, @modelcontextprotocol)',
    input: new RegExp(`${manifoldDir}/mcp/|(?:^|/)node_modules/@modelcontextprotocol/`),
    external: /^@modelcontextprotocol\//,
  },
  {
    name: 'http-server',
    label: 'the HTTP server (manifold/http serve, node:http)',
    input: new RegExp(`${manifoldDir}/http/serve\\.[jt]s$`),
    external: /^(?:node:)?https?(?:\/|$)|^(?:node:)?http2$/,
  },
]

/** Which families each entry must not contain. */
export const forbidden: Record<EntryKind, readonly Surface['name'][]> = {
  lambda: ['cli', 'mcp'],
  server: ['cli', 'mcp'],
  cli: ['http-server'],
  mcp: [],
}

/** Options of {@link checkSeparation}. */
export interface CheckSeparationOptions {
  /** Code families this entry may contain after all (`manifold.allow`). */
  readonly allow?: readonly string[]
  /** The project folder the metafile paths are relative to. */
  readonly root?: string
}

/** One piece of code found where it must not be. */
export interface Violation {
  readonly entry: EntryKind
  readonly surface: Surface['name']
  readonly label: string
  /** The offending inputs or imports (at most five). */
  readonly found: readonly string[]
}

/**
 * Lists the code families an entry's bundle contains but must not.
 *
 * @example
 * ```ts
 * const violations = checkSeparation('lambda', bundle.metafile, { root: config.root })
 * if (violations.length > 0) throw new Error(formatViolations(violations))
 * ```
 */
export function checkSeparation(
  entry: EntryKind,
  metafile: Metafile,
  options: CheckSeparationOptions = {},
): Violation[] {
  const allow = options.allow ?? []
  // Metafile paths are relative to the project; make them absolute so `../../packages/manifold/src`
  // (a workspace) and `node_modules/manifold/dist` (an install) both show the package folder.
  const inputs = Object.keys(metafile.inputs).map((p) =>
    (options.root === undefined || p.includes(':') ? p : resolve(options.root, p)).replaceAll('\\', '/'),
  )
  const externals = Object.values(metafile.outputs).flatMap((o) =>
    o.imports.filter((i) => i.external).map((i) => i.path),
  )
  const violations: Violation[] = []
  for (const name of forbidden[entry]) {
    if (allow.includes(name)) continue
    const surface = surfaces.find((s) => s.name === name)
    if (surface === undefined) continue
    const external = surface.external
    const found = [
      ...inputs.filter((p) => surface.input.test(p)),
      ...(external === undefined ? [] : externals.filter((p) => external.test(p))),
    ]
    if (found.length > 0) {
      violations.push({ entry, surface: name, label: surface.label, found: [...new Set(found)].slice(0, 5) })
    }
  }
  return violations
}

/**
 * Renders violations for the build's error message.
 *
 * @example
 * ```ts
 * formatViolations(checkSeparation('cli', metafile))
 * ```
 */
export function formatViolations(violations: readonly Violation[]): string {
  return violations
    .map((v) => `The "${v.entry}" bundle contains ${v.label}: ${v.found.map((f) => `"${f}"`).join(', ')}`)
    .join('\n')
}
