// Artifact sizes: manifold's per-entry bundles beside the peers', all built with the same esbuild
// settings (minified ESM for Node 20, node built-ins external), plus the notes example's artifacts
// with each bundle split by package. Run: node --import tsx --conditions=source bench/build/sizes.ts
import { fileURLToPath } from 'node:url'
import { build, type Metafile } from 'esbuild'
import { bundleEntry } from '../../packages/tool/src/build/bundle.ts'
import { formatBytes, sizesOf } from '../../packages/tool/src/build/report.ts'
import { type EntryKind, readConfig } from '../../packages/tool/src/config.ts'

const at = (p: string) => fileURLToPath(new URL(p, import.meta.url))

/** Bytes in the output per package (node_modules name, "manifold", or "app"). */
function byPackage(metafile: Metafile): Map<string, number> {
  const sizes = new Map<string, number>()
  for (const output of Object.values(metafile.outputs)) {
    for (const [path, input] of Object.entries(output.inputs)) {
      const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)
      const name = nm?.[1] ?? (/manifold\/src\//.test(path) ? 'manifold' : 'app')
      sizes.set(name, (sizes.get(name) ?? 0) + input.bytesInOutput)
    }
  }
  return sizes
}

function share(metafile: Metafile, test: (name: string) => boolean): number {
  return [...byPackage(metafile)].filter(([n]) => test(n)).reduce((sum, [, b]) => sum + b, 0)
}

async function peer(entry: string): Promise<{ code: Uint8Array; metafile: Metafile }> {
  const result = await build({
    entryPoints: [at(entry)],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    minify: true,
    legalComments: 'none',
    write: false,
    metafile: true,
    logLevel: 'silent',
    outfile: '/tmp/peer.mjs',
    external: ['node:*'],
  })
  const code = result.outputFiles[0]?.contents
  if (code === undefined) throw new Error(`No output for ${entry}`)
  return { code, metafile: result.metafile }
}

const rows: string[][] = []
function row(what: string, code: Uint8Array, metafile: Metafile): void {
  const { raw, gzip } = sizesOf(code)
  const zod = share(metafile, (n) => n === 'zod')
  const own = share(metafile, (n) => n === 'manifold' || n === 'hono' || n === 'incur')
  rows.push([
    what,
    formatBytes(raw),
    formatBytes(gzip),
    formatBytes(zod),
    formatBytes(own),
    formatBytes(raw - zod - own),
  ])
}

const hello = await readConfig(at('../../packages/tool/test/fixtures/hello'))
for (const kind of ['lambda', 'server', 'cli', 'mcp'] as const) {
  const b = await bundleEntry(hello, kind, { conditions: ['source'] })
  row(`manifold ${kind} (one zod op)`, b.code, b.metafile)
}
const hono = await peer('./apps/hono-lambda.ts')
row('hono/aws-lambda (one zod route)', hono.code, hono.metafile)
const incur = await peer('./apps/incur-cli.ts')
row('incur CLI (one zod command)', incur.code, incur.metafile)

const header = ['bundle', 'raw', 'gzip', 'zod', 'framework', 'rest']
const table = (h: string[], r: string[][]) =>
  [`| ${h.join(' | ')} |`, `|${h.map(() => '---').join('|')}|`, ...r.map((x) => `| ${x.join(' | ')} |`)].join(
    '\n',
  )
console.log(table(header, rows))

const notes = await readConfig(at('../../examples/notes'))
const notesRows: string[][] = []
for (const kind of ['cli', 'server', 'lambda', 'mcp'] as EntryKind[]) {
  if (notes.entries[kind] === undefined) continue
  const b = await bundleEntry(notes, kind, { conditions: ['source'] })
  const { raw, gzip } = sizesOf(b.code)
  const parts = [...byPackage(b.metafile)].sort((a, z) => z[1] - a[1]).slice(0, 6)
  notesRows.push([
    kind,
    formatBytes(raw),
    formatBytes(gzip),
    parts.map(([n, s]) => `${n} ${formatBytes(s)}`).join(', '),
  ])
}
console.log(
  `\nexamples/notes\n\n${table(['entry', 'raw', 'gzip', 'largest packages (bytes in the bundle)'], notesRows)}`,
)
