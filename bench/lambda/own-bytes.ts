/**
 * manifold's own bytes in a Lambda bundle, per module (esbuild metafile `bytesInOutput`):
 * deterministic, independent of the machine's load.
 *
 *   node --import tsx --conditions=source bench/lambda/own-bytes.ts [entry.ts] [--json]
 *   node --import tsx --conditions=source bench/lambda/own-bytes.ts --notes
 *
 * The entry defaults to bench/lambda/handlers/manifold.ts (one operation), bundled as
 * bench/lambda/run.ts does: minified ESM for Node 20, `--conditions=source`. `--notes` bundles
 * the notes example's Lambda entry with `manifold build`'s own options instead, and lists the
 * app's modules too.
 */
import { fileURLToPath } from 'node:url'
import { build, type Metafile } from 'esbuild'
import { bundleEntry } from '../../packages/tool/src/build/bundle.ts'
import { readConfig } from '../../packages/tool/src/config.ts'
import { handlerBundle } from './bundle-options.ts'

const here = new URL('.', import.meta.url).pathname
const args = process.argv.slice(2)
const json = args.includes('--json')
const notes = args.includes('--notes')
const entry = args.find((a) => !a.startsWith('--')) ?? `${here}handlers/manifold.ts`

async function bundle(): Promise<{ metafile: Metafile; bytes: number }> {
  if (notes) {
    const config = await readConfig(fileURLToPath(new URL('../../examples/notes', import.meta.url)))
    const b = await bundleEntry(config, 'lambda', { conditions: ['source'] })
    return { metafile: b.metafile, bytes: b.code.byteLength }
  }
  const result = await build({
    ...handlerBundle,
    entryPoints: [entry],
    write: false,
    outdir: '/tmp/own-bytes',
  })
  const out = Object.values(result.metafile.outputs).find((o) => o.entryPoint !== undefined)
  return { metafile: result.metafile, bytes: out?.bytes ?? 0 }
}

const { metafile, bytes } = await bundle()
const rows: [string, number][] = []
let own = 0
let app = 0
let total = 0
for (const output of Object.values(metafile.outputs)) {
  for (const [file, info] of Object.entries(output.inputs)) {
    total += info.bytesInOutput
    if (info.bytesInOutput === 0 || file.includes('node_modules/')) continue
    const m = /packages\/manifold\/src\/(.*)$/.exec(file)
    if (m !== null) own += info.bytesInOutput
    else if (notes) app += info.bytesInOutput
    else continue
    rows.push([
      m === null ? `(app) ${file.replace(/^.*examples\/notes\//, '')}` : (m[1] as string),
      info.bytesInOutput,
    ])
  }
}
rows.sort((a, b) => b[1] - a[1])
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`
if (json) console.log(JSON.stringify({ own, app, bundle: bytes, modules: Object.fromEntries(rows) }))
else {
  for (const [file, n] of rows) console.log(`${String(n).padStart(6)}  ${file}`)
  console.log(`${String(own).padStart(6)}  manifold (${kb(own)})`)
  if (notes)
    console.log(
      `${String(app).padStart(6)}  app (${kb(app)}); manifold + app ${own + app} B (${kb(own + app)})`,
    )
  console.log(`bundle ${bytes} B, inputs ${total} B`)
}
