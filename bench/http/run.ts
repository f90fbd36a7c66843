/**
 * HTTP throughput, side by side in one run: each server in its own process, the same
 * validated JSON POST under wrk (or autocannon when wrk is not installed), one server at a
 * time, in rounds. Prints a Markdown table with ratios.
 *
 * This machine's speed drifts by a third within minutes (other tenants of the host), far more
 * than the differences measured, so the runner:
 * - pins each server to the last CPU and the load generator to the others (`--no-pin` turns
 *   that off), so neither takes CPU from the other;
 * - starts every server once, warms it, then gives each its load in short turns, round after
 *   round in an order rotated every round, and reports the median over rounds of each
 *   server's ratio to the ceiling and to Fastify *in the same round*, seconds apart, so drift
 *   between rounds cancels;
 * - reports the server's CPU time per request beside req/s ("CPU × ceiling" is ceiling CPU /
 *   this CPU, so higher is better, like the req/s ratios).
 *
 *   node --import tsx bench/http/run.ts [--duration 2] [--warmup 2] [--connections 25] [--rounds 12]
 *     [--only a,b] [--tool wrk|autocannon] [--no-pin] [--paired] [--base <git ref>]
 *
 * `--paired` adds runs where each server and the ceiling take load at the same time, both on
 * the server CPU: the scheduler gives each half of it, so their CPU per request is compared
 * at one and the same machine speed. Those ratios spread over a few hundredths from round to
 * round where the solo rounds spread over tenths, and they agree with callgrind's instruction
 * ratios (`callgrind.ts`) within a few percent. It needs wrk: autocannon, in this one
 * process, cannot keep two servers saturated.
 *
 * `--base <ref>` adds manifold as it was at that commit (its `packages/manifold/src`, taken
 * with `git archive`), with and without the access log, so old and new run in one session.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { median } from '../stats.ts'
import { compile, compileBase, here, outdir } from './build.ts'
import { type LoadResult, load, pickTool, pinned, pinning, pinSelf } from './load.ts'
import { type BenchServer, benchServers, listeningPort } from './servers.ts'

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '2' },
    warmup: { type: 'string', default: '2' },
    connections: { type: 'string', default: '25' },
    rounds: { type: 'string', default: '12' },
    only: { type: 'string' },
    tool: { type: 'string' },
    'no-pin': { type: 'boolean', default: false },
    paired: { type: 'boolean', default: false },
    base: { type: 'string' },
  },
})

const servers = benchServers(values.base, values.only)
const tool = pickTool(values.tool)
const pin = pinning(values['no-pin'] !== true)
if (pin !== undefined && tool === 'autocannon') pinSelf(pin)

const body = JSON.stringify({ name: 'Ada Lovelace', email: 'ada@example.com', age: 36 })
const duration = Number(values.duration)
const warmup = Number(values.warmup)
const connections = Number(values.connections)
const rounds = Number(values.rounds)

await compile(servers.filter((s) => s.dir === undefined).map((s) => here(`./peers/${s.file}.ts`)))
if (values.base !== undefined && servers.some((s) => s.dir === 'base')) await compileBase(values.base)

interface Started {
  readonly child: ChildProcess
  readonly url: string
  readonly pid: number
}

async function start(server: BenchServer): Promise<Started> {
  const file = join(outdir, server.dir ?? '', `${server.file}.mjs`)
  // taskset execs the command, so the child's pid is the server's.
  const [command, args] = pinned(pin?.server, process.execPath, [file])
  const child = spawn(command, args, {
    // The access log goes to stderr, discarded here as a log shipper would take it.
    stdio: ['ignore', 'pipe', 'ignore'],
    env: { ...process.env, PORT: '0', NODE_ENV: 'production', MANIFOLD_LOG: 'info', ...server.env },
  })
  const port = await listeningPort(child, server.name)
  const url = `http://127.0.0.1:${port}${server.path}`
  const check = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
  if (check.status !== 200) throw new Error(`${server.name} answered ${check.status}: ${await check.text()}`)
  return { child, url, pid: child.pid as number }
}

async function stop(started: Started): Promise<void> {
  started.child.kill('SIGKILL')
  await new Promise((resolve) => started.child.once('exit', resolve))
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? '0')
  return Math.round(kb / 1024)
}

/** CPU time (user + system) a process used so far, in milliseconds, from /proc. */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? []
  // utime and stime are fields 14 and 15 of stat, in clock ticks (100 per second on Linux).
  return (Number(fields[11]) + Number(fields[12])) * 10
}

const loadOf = (url: string, seconds: number): Promise<LoadResult> =>
  load(tool, { url, body, connections, seconds }, pin?.load)

/** A load run and the server CPU microseconds it cost per request. */
async function measured(s: Started, seconds: number): Promise<{ result: LoadResult; cpuUs: number }> {
  const before = cpuMs(s.pid)
  const result = await loadOf(s.url, seconds)
  return { result, cpuUs: ((cpuMs(s.pid) - before) * 1000) / Math.max(1, result.total) }
}

interface Row {
  /** One entry per round, in round order. */
  rps: number[]
  p50: number[]
  p99: number[]
  mem: number[]
  /** Server CPU microseconds per request. */
  cpuUs: number[]
  errors: number
}

const rows = new Map<string, Row>(
  servers.map((s) => [s.name, { rps: [], p50: [], p99: [], mem: [], cpuUs: [], errors: 0 }]),
)

// Every server starts once and is warmed, then takes its load in short turns, round after
// round: the turns of one round are seconds apart, so the machine's drift reaches them alike.
const running = new Map<string, Started>()
for (const server of servers) {
  const s = await start(server)
  running.set(server.name, s)
  await loadOf(s.url, warmup)
}
for (let round = 0; round < rounds; round++) {
  // A rotated order, so no server always runs right after the same neighbour.
  const shift = round % servers.length
  for (const server of [...servers.slice(shift), ...servers.slice(0, shift)]) {
    const s = running.get(server.name) as Started
    const { result, cpuUs } = await measured(s, duration)
    const row = rows.get(server.name) as Row
    row.rps[round] = result.rps
    row.p50[round] = result.p50
    row.p99[round] = result.p99
    row.cpuUs[round] = cpuUs
    row.errors += result.errors
    process.stderr.write(`round ${round + 1} ${server.name}: ${Math.round(result.rps)} req/s\n`)
  }
}
for (const [name, s] of running) {
  ;(rows.get(name) as Row).mem.push(rssMb(s.pid))
  await stop(s)
}

// Paired runs: each server and the ceiling on the same CPU at the same time.
const paired = new Map<string, number[]>()
const ceilingServer = servers[0]
if (values.paired === true && tool === 'autocannon') {
  // Two autocannon runs in this one process cannot keep two servers busy: a server that waits
  // for work spends more CPU per request, and the ratios stop meaning anything.
  process.stderr.write('warning: --paired needs wrk to keep both servers saturated; install wrk\n')
}
if (values.paired === true && ceilingServer !== undefined) {
  for (let round = 0; round < rounds; round++) {
    for (const server of servers.slice(1)) {
      const a = await start(ceilingServer)
      const b = await start(server)
      await Promise.all([loadOf(a.url, warmup), loadOf(b.url, warmup)])
      const [ra, rb] = await Promise.all([measured(a, duration), measured(b, duration)])
      // CPU per request, not req/s: the ratio then holds even if the scheduler split unevenly.
      const ratio = ra.cpuUs / Math.max(1e-9, rb.cpuUs)
      paired.set(server.name, [...(paired.get(server.name) ?? []), ratio])
      await stop(a)
      await stop(b)
      process.stderr.write(`paired round ${round + 1} ${server.name}: ${ratio.toFixed(2)} × ceiling\n`)
    }
  }
}

/** Per round, this row against the other: req/s over req/s, or for CPU (a cost) the other over this. */
const perRound = (row: Row, other: Row | undefined, key: 'rps' | 'cpuUs'): number[] =>
  other === undefined
    ? [Number.NaN]
    : row[key].map((x, i) => (key === 'rps' ? x / (other[key][i] as number) : (other[key][i] as number) / x))
const fmt = (x: number): string => x.toFixed(2)
const spread = (xs: readonly number[]): string => `${fmt(Math.min(...xs))}-${fmt(Math.max(...xs))}`

const ceilingRow = rows.get(servers[0]?.name ?? '')
const fastifyRow = rows.get('fastify')
const pinNote =
  pin === undefined ? 'not pinned' : `servers pinned to CPU ${pin.server}, ${tool} to CPU ${pin.load}`
const lines = [
  `${tool}: ${connections} connections, ${duration} s per run after ${warmup} s warm-up, ${rounds} rounds of turns in rotated order (each server started once and warmed), ${pinNote}, Node ${process.version}, POST of a zod-validated JSON body. Ratios: median over rounds of this server / the ceiling and / Fastify in the same round (CPU: their CPU per request / this one's), so higher is better; req/s, CPU, latency and memory: medians`,
  '',
  '| server | req/s | p50 ms | p99 ms | peak RSS MB | × ceiling | × fastify | × fastify by round | CPU µs/req | CPU × ceiling | CPU × fastify | errors |',
  '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
]
for (const [name, row] of rows) {
  const vsFastify = perRound(row, fastifyRow, 'rps')
  lines.push(
    `| ${name} | ${Math.round(median(row.rps))} | ${fmt(median(row.p50))} | ${fmt(median(row.p99))} | ${median(row.mem)} | ${fmt(median(perRound(row, ceilingRow, 'rps')))} | ${fmt(median(vsFastify))} | ${spread(vsFastify)} | ${median(row.cpuUs).toFixed(1)} | ${fmt(median(perRound(row, ceilingRow, 'cpuUs')))} | ${fmt(median(perRound(row, fastifyRow, 'cpuUs')))} | ${row.errors} |`,
  )
}
if (paired.size > 0) {
  const fastifyRatio = median(paired.get('fastify') ?? [Number.NaN])
  lines.push(
    '',
    `Paired: each server and the ceiling under load at the same time on CPU ${pin?.server ?? '(any)'}, ${duration} s, ${rounds} rounds; ceiling CPU per request / this server's (median, and each round)`,
    '',
    '| server | × ceiling (paired) | × fastify (paired) | rounds |',
    '|---|---:|---:|---|',
  )
  for (const [name, ratios] of paired) {
    const r = median(ratios)
    lines.push(`| ${name} | ${fmt(r)} | ${fmt(r / fastifyRatio)} | ${ratios.map(fmt).join(' ')} |`)
  }
}
console.log(lines.join('\n'))
