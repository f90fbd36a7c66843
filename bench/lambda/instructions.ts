/**
 * Instructions, not time: each handler's cold start and warm invocation counted under
 * `valgrind --tool=callgrind`, in a node that runs everything on one thread with fixed seeds
 * (`--single-threaded --hash-seed=1 --random-seed=1`). The counts are then the same from run
 * to run (to the last thousand) and do not move with the load of the machine, so a change of a
 * few hundred instructions per invocation shows, which `run.ts`'s times cannot separate from
 * noise. What it does not see: the cost of memory (cache misses, which allocations add to) and
 * the kernel; single-threaded also puts the compiler's and collector's work on the one thread.
 *
 *   node --import tsx --conditions=source bench/lambda/instructions.ts [--only manifold,middy] [--n 40000]
 *
 * Per handler: the import of its bundle (above the import of an empty module), its first
 * invocation (one API Gateway v2 event, after the import), the whole cold start above the
 * ceiling's, and the warm cost: (I(warm-up + 20000 + n) - I(warm-up + 20000)) / n, from two
 * runs of `warm.mjs`. The ceiling (hand-written) always runs; ratios are against it.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { measuredEnv } from '../process-env.ts'
import { type Bundled, bundlePeer, here, peers } from './peers.ts'

const { values } = parseArgs({
  options: { only: { type: 'string' }, n: { type: 'string', default: '40000' } },
})
const n = Number(values.n)
const only = values.only?.split(',')
const chosen = peers.filter((p, i) => i === 0 || only === undefined || only.some((o) => p.file.includes(o)))

const dir = mkdtempSync(join(tmpdir(), 'manifold-instructions-'))
const empty = join(dir, 'empty.mjs')
writeFileSync(empty, '')

/** Instructions of one node process under callgrind, every thread (there is one). */
function count(argv: string[]): number {
  const log = join(dir, 'callgrind.log')
  execFileSync(
    'valgrind',
    [
      '--tool=callgrind',
      '--callgrind-out-file=/dev/null',
      `--log-file=${log}`,
      process.execPath,
      '--single-threaded',
      '--hash-seed=1',
      '--random-seed=1',
      ...argv,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'], env: measuredEnv, maxBuffer: 64 * 1024 * 1024 },
  )
  const match = /Collected : (\d+)/.exec(readFileSync(log, 'utf8'))
  if (match === null) throw new Error(`no instruction count from "node ${argv.join(' ').slice(0, 80)}"`)
  return Number(match[1])
}

interface Counted extends Bundled {
  readonly importing: number
  readonly first: number
  readonly cold: number
  readonly warm: number
}

const emptyImport = count([`${here}import.mjs`, empty])
const rows: Counted[] = []
for (const peer of chosen) {
  const b = await bundlePeer(peer, join(dir, 'bundles'))
  const imported = count([`${here}import.mjs`, b.bundle])
  const cold = count([`${here}cold.mjs`, b.bundle, b.event])
  const before = count([`${here}warm.mjs`, b.bundle, b.event, '20000'])
  const after = count([`${here}warm.mjs`, b.bundle, b.event, String(20000 + n)])
  rows.push({
    ...b,
    importing: imported - emptyImport,
    first: cold - imported,
    cold,
    warm: (after - before) / n,
  })
  console.error(`counted ${peer.name}`)
}
rmSync(dir, { recursive: true, force: true })

const ceiling = rows[0] as Counted
const m = (x: number) => `${(x / 1e6).toFixed(1)} M`
console.log(
  [
    `callgrind, Node ${process.version} --single-threaded --hash-seed=1 --random-seed=1; warm: ${n} invocations after 25000; cold: import + one API Gateway v2 event`,
    '',
    '| handler | framework code (min) | import | first invocation | cold start | cold − ceiling | warm instructions/op | warm × ceiling |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.peer.name} | ${(r.own / 1024).toFixed(1)} KB | ${m(r.importing)} | ${m(r.first)} | ${m(r.cold)} | ${m(r.cold - ceiling.cold)} | ${Math.round(r.warm)} | ${(r.warm / ceiling.warm).toFixed(2)}x |`,
    ),
  ].join('\n'),
)
