/**
 * Lambda benchmark: bundle size (minified, gzip, and the framework's own bytes), cold start
 * (fresh process: import the bundle and answer one API Gateway v2 event, minus `node -e 0`)
 * and warm per-invocation cost (ns/op over 100k invocations), for manifold and its peers side
 * by side in one run.
 *
 *   node --import tsx bench/lambda/run.ts [--rounds 15] [--invocations 100000] [--warm-rounds 3]
 *
 * Warm runs interleave the peers too (`--warm-rounds`, each a fresh process) and report the
 * median, so that a busy moment of the machine does not land on one peer only.
 */
import { spawnSync } from 'node:child_process'
import { cpus, loadavg } from 'node:os'
import { measuredEnv as env } from '../process-env.ts'
import { median } from '../stats.ts'
import { type Bundled, bundlePeer, here, peers } from './peers.ts'

const args = process.argv.slice(2)
const flag = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`)
  return i === -1 ? fallback : Number(args[i + 1])
}
const rounds = flag('rounds', 15)
const invocations = flag('invocations', 100_000)
const warmRounds = flag('warm-rounds', 3)

/** Wall time of a fresh process, and the CPU time it reports on stdout. */
function timeProcess(argv: string[]): { wall: number; cpu: number } {
  const started = process.hrtime.bigint()
  const result = spawnSync(process.execPath, argv, {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    env,
  })
  if (result.status !== 0)
    throw new Error(`"node ${argv.join(' ').slice(0, 80)}" exited with ${result.status}`)
  return { wall: Number(process.hrtime.bigint() - started) / 1e6, cpu: Number(result.stdout.trim()) }
}

const rows: (Bundled & { cold: number[]; coldCpu: number[]; warm: number[] })[] = []
for (const peer of peers) rows.push({ ...(await bundlePeer(peer)), cold: [], coldCpu: [], warm: [] })

// Cold starts: rounds interleave the peers so that machine noise spreads evenly.
const baseline: number[] = []
const baselineCpu: number[] = []
const empty = 'const c = process.cpuUsage(); console.log((c.user + c.system) / 1000)'
for (let round = 0; round < rounds; round++) {
  const b = timeProcess(['-e', empty])
  baseline.push(b.wall)
  baselineCpu.push(b.cpu)
  for (const row of rows) {
    const t = timeProcess([`${here}cold.mjs`, row.bundle, row.event])
    row.cold.push(t.wall)
    row.coldCpu.push(t.cpu)
  }
}
const base = median(baseline)
const baseCpu = median(baselineCpu)

for (let round = 0; round < warmRounds; round++) {
  for (const row of rows) {
    const result = spawnSync(
      process.execPath,
      [`${here}warm.mjs`, row.bundle, row.event, String(invocations)],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
        env,
      },
    )
    if (result.status !== 0) throw new Error(`warm run of ${row.peer.name} failed`)
    row.warm.push((JSON.parse(result.stdout) as { nsPerOp: number }).nsPerOp)
  }
}

const ceiling = rows[0] as (typeof rows)[number]
const ceilingWarm = median(ceiling.warm)
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`
const lines = [
  `Node ${process.version}, load average ${loadavg()[0]?.toFixed(1)} on ${cpus().length} cores; ${rounds} cold rounds (medians, minus an empty \`node -e\`: ${base.toFixed(1)} ms wall, ${baseCpu.toFixed(1)} ms CPU); ${invocations} warm invocations, median of ${warmRounds} interleaved warm runs`,
  '',
  '| handler | bundle min | gzip | framework code (min) | cold start wall | cold start CPU | warm ns/op | warm vs ceiling |',
  '|---|---:|---:|---:|---:|---:|---:|---:|',
  ...rows.map((r) => {
    const cold = median(r.cold) - base
    const cpu = median(r.coldCpu) - baseCpu
    return `| ${r.peer.name} | ${kb(r.min)} | ${kb(r.gzip)} | ${kb(r.own)} | ${cold.toFixed(1)} ms | ${cpu.toFixed(1)} ms | ${Math.round(median(r.warm))} | ${(median(r.warm) / ceilingWarm).toFixed(2)}x |`
  }),
]
console.log(lines.join('\n'))
