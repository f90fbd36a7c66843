// Whole-process time of the same small CLI built with manifold and its peers, bundled with
// esbuild: `<cli> --help` and `<cli> greet --name Bob`, with `node -e 0` as the floor.
// Reports wall time and CPU time (user + system, from the process itself; robust to load).
// Usage: node --import tsx bench/cli/run.ts [runs]   (default 30 runs of each, interleaved)
import { spawnSync } from 'node:child_process'
import { cpus } from 'node:os'
import { buildAll, clis } from './build.ts'

const runs = Number(process.argv[2] ?? 30)
const cases = { help: ['--help'], greet: ['greet', '--name', 'Bob'] } as const

const preload = new URL('./cpu-time.mjs', import.meta.url).href

// Every process starts without NODE_EXTRA_CA_CERTS: where it is set (as on the machines these
// numbers come from), Node 20 reads and parses the extra certificates at every start, which costs
// ~40 ms of CPU time, the same for every CLI, and adds more noise than the differences measured.
const { NODE_EXTRA_CA_CERTS: _extraCerts, ...env } = process.env

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

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  const m = Math.floor(s.length / 2)
  return s.length % 2 === 0 ? ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2 : (s[m] ?? 0)
}

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
      const label =
        name === 'parseargs'
          ? 'node:util parseArgs (by hand)'
          : name === 'parseargs-bare'
            ? 'parseArgs, no require banner'
            : name
      out.push(
        `| ${label} | ${m.toFixed(1)} | ${over.toFixed(1)} | ${(over / base).toFixed(2)}x | ${(bundles[name]!.bytes / 1024).toFixed(1)} |`,
      )
    }
  }
}
console.log(out.join('\n'))
