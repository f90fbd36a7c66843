// Whole-process time of the same small CLI built with manifold and its peers, bundled with
// esbuild: `<cli> --help` and `<cli> greet --name Bob`, with `node -e 0` as the floor.
// Reports wall time and CPU time (user + system, from the process itself; robust to load).
// Usage: node --import tsx bench/cli/run.ts [runs] [--instructions [k]]
//   runs: default 30 runs of each, interleaved
//   --instructions: also count the instructions of each process under valgrind's callgrind
//   (the minimum of k runs, default 5): they do not move with the load on the machine as time does.
import { spawnSync } from 'node:child_process'
import { cpus } from 'node:os'
import { measuredEnv as env } from '../process-env.ts'
import { median } from '../stats.ts'
import { buildAll, clis } from './build.ts'

const flag = process.argv.indexOf('--instructions')
const instructionRuns = flag === -1 ? 0 : Number(process.argv[flag + 1]) || 5
const runs = Number(
  process.argv.slice(2).find((a, i, all) => /^\d+$/.test(a) && all[i - 1] !== '--instructions') ?? 30,
)
const cases = { help: ['--help'], greet: ['greet', '--name', 'Bob'] } as const

const preload = new URL('./cpu-time.mjs', import.meta.url).href

interface Sample {
  readonly wall: number
  readonly cpu: number
}

function time(args: readonly string[]): Sample {
  const start = process.hrtime.bigint()
  const r = spawnSync(process.execPath, ['--import', preload, ...args], {
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    env,
  })
  const wall = Number(process.hrtime.bigint() - start) / 1e6
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`)
  const cpu = Number(String(r.output[3]).trim()) / 1000
  return { wall, cpu }
}

const label = (name: string) =>
  name === 'parseargs'
    ? 'node:util parseArgs (by hand)'
    : name === 'parseargs-bare'
      ? 'parseArgs, no require banner'
      : name

const bundles = await buildAll()
const targets: [string, readonly string[]][] = [['node -e 0', ['-e', '0']]]
for (const name of clis)
  for (const [c, args] of Object.entries(cases))
    targets.push([`${name} ${c}`, [bundles[name]!.file, ...args]])
const samples = new Map<string, Sample[]>(targets.map(([k]) => [k, []]))
for (const [, args] of targets) time(args) // warm the file cache
// Interleave: one run of each target per round, so load on the machine hits all alike.
for (let round = 0; round < runs; round++) {
  for (const [key, args] of targets) samples.get(key)!.push(time(args))
}
const med = (key: string, what: keyof Sample) => median(samples.get(key)!.map((x) => x[what]))
const out: string[] = []
out.push(
  `Node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model.trim()}), ${runs} runs each, interleaved`,
)
for (const what of ['cpu', 'wall'] as const) {
  const floor = med('node -e 0', what)
  out.push('')
  out.push(
    `${what === 'cpu' ? 'CPU time (user + system)' : 'Wall time'}; floor \`node -e 0\` = ${floor.toFixed(1)} ms (median)`,
  )
  for (const c of Object.keys(cases)) {
    const base = med(`parseargs ${c}`, what) - floor
    out.push('')
    out.push(
      `| ${what} \`${c === 'help' ? '<cli> --help' : '<cli> greet --name Bob'}\` | median ms | above floor | vs parseArgs | loaded KB |`,
    )
    out.push('|---|---:|---:|---:|---:|')
    for (const name of clis) {
      const m = med(`${name} ${c}`, what)
      const over = m - floor
      out.push(
        `| ${label(name)} | ${m.toFixed(1)} | ${over.toFixed(1)} | ${(over / base).toFixed(2)}x | ${(bundles[name]!.bytes / 1024).toFixed(1)} |`,
      )
    }
  }
}
/** Instructions of one whole process (user space, all threads), from callgrind's summary. */
function instructions(args: readonly string[]): number {
  // stdout and stderr are pipes, as in the timed runs (a CLI may cost less or more on /dev/null);
  // valgrind reports on fd 3.
  const r = spawnSync(
    'valgrind',
    ['--tool=callgrind', '--callgrind-out-file=/dev/null', '--log-fd=3', process.execPath, ...args],
    { stdio: ['ignore', 'pipe', 'pipe', 'pipe'], encoding: 'utf8', env },
  )
  const m = /Collected : ([\d,]+)/.exec(String(r.output[3] ?? ''))
  if (m === null) throw new Error(`callgrind gave no count for ${args.join(' ')}: ${r.stderr}`)
  return Number(m[1]?.replaceAll(',', ''))
}

if (instructionRuns > 0) {
  const counts = new Map<string, number>()
  for (const [key, args] of targets) {
    let min = Number.POSITIVE_INFINITY
    for (let i = 0; i < instructionRuns; i++) min = Math.min(min, instructions(args))
    counts.set(key, min)
  }
  const floor = counts.get('node -e 0') ?? 0
  out.push('')
  out.push(
    `Instructions (callgrind, minimum of ${instructionRuns} runs); floor \`node -e 0\` = ${(floor / 1e6).toFixed(1)} M`,
  )
  for (const c of Object.keys(cases)) {
    const base = (counts.get(`parseargs ${c}`) ?? 0) - floor
    out.push('')
    out.push(
      `| instructions \`${c === 'help' ? '<cli> --help' : '<cli> greet --name Bob'}\` | M | above floor | vs parseArgs |`,
    )
    out.push('|---|---:|---:|---:|')
    for (const name of clis) {
      const n = counts.get(`${name} ${c}`) ?? 0
      out.push(
        `| ${label(name)} | ${(n / 1e6).toFixed(1)} | ${((n - floor) / 1e6).toFixed(1)} | ${((n - floor) / base).toFixed(2)}x |`,
      )
    }
  }
}
console.log(out.join('\n'))
