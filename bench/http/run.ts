/**
 * HTTP throughput, side by side in one run: each server in its own process, the same
 * validated JSON POST under autocannon, one server at a time, in rounds so drift on a shared
 * machine spreads over every server. Prints a Markdown table with ratios. Besides req/s it
 * reports the server's CPU time per request: on a machine shared with other work, that
 * measure moves far less than throughput. "CPU × ceiling" is ceiling CPU / this CPU, so
 * higher is better, like the req/s ratios.
 *
 *   node --import tsx bench/http/run.ts [--duration 8] [--connections 50] [--rounds 2] [--only a,b] [--paired] [--base <git ref>]
 *
 * `--base <ref>` adds manifold as it was at that commit (its `packages/manifold/src`, taken
 * with `git archive`), with and without the access log, so old and new run in one session.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import autocannon from 'autocannon'
import { compile, compileBase, here, outdir } from './build.ts'
import { type BenchServer, benchServers, listeningPort } from './servers.ts'

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '8' },
    warmup: { type: 'string', default: '2' },
    connections: { type: 'string', default: '50' },
    rounds: { type: 'string', default: '2' },
    only: { type: 'string' },
    paired: { type: 'boolean', default: false },
    base: { type: 'string' },
  },
})

const servers = benchServers(values.base, values.only)

const body = JSON.stringify({ name: 'Ada Lovelace', email: 'ada@example.com', age: 36 })
const duration = Number(values.duration)
const warmup = Number(values.warmup)
const connections = Number(values.connections)
const rounds = Number(values.rounds)

await compile(servers.filter((s) => s.dir === undefined).map((s) => here(`./peers/${s.file}.ts`)))
if (values.base !== undefined && servers.some((s) => s.dir === 'base')) await compileBase(values.base)

function start(server: BenchServer): Promise<{ child: ChildProcess; port: number }> {
  const file = join(outdir, server.dir ?? '', `${server.file}.mjs`)
  const child = spawn(process.execPath, [file], {
    // The access log goes to stderr, discarded here as a log shipper would take it.
    stdio: ['ignore', 'pipe', 'ignore'],
    env: { ...process.env, PORT: '0', NODE_ENV: 'production', MANIFOLD_LOG: 'info', ...server.env },
  })
  return listeningPort(child, server.name).then((port) => ({ child, port }))
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

function load(url: string, seconds: number): Promise<autocannon.Result> {
  return autocannon({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    connections,
    duration: seconds,
  })
}

interface Row {
  rps: number[]
  p50: number[]
  p99: number[]
  mem: number[]
  /** Server CPU microseconds per request: steadier than req/s on a shared machine. */
  cpuUs: number[]
  errors: number
}

const rows = new Map<string, Row>(
  servers.map((s) => [s.name, { rps: [], p50: [], p99: [], mem: [], cpuUs: [], errors: 0 }]),
)

for (let round = 0; round < rounds; round++) {
  for (const server of servers) {
    const { child, port } = await start(server)
    const url = `http://127.0.0.1:${port}${server.path}`
    const check = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
    if (check.status !== 200)
      throw new Error(`${server.name} answered ${check.status}: ${await check.text()}`)
    await load(url, warmup)
    const cpuBefore = cpuMs(child.pid as number)
    const result = await load(url, duration)
    const cpu = cpuMs(child.pid as number) - cpuBefore
    const row = rows.get(server.name) as Row
    row.rps.push(result.requests.average)
    row.p50.push(result.latency.p50)
    row.p99.push(result.latency.p99)
    row.mem.push(rssMb(child.pid as number))
    row.cpuUs.push((cpu * 1000) / Math.max(1, result.requests.total))
    row.errors += result.errors + result.non2xx
    child.kill('SIGKILL')
    await new Promise((resolve) => child.once('exit', resolve))
    process.stderr.write(`round ${round + 1} ${server.name}: ${Math.round(result.requests.average)} req/s\n`)
  }
}

// Paired runs: each peer and the ceiling take load at the same time, so whatever else the
// machine is doing slows both alike; their ratio is far steadier than two solo runs.
const paired = new Map<string, number[]>()
const ceilingServer = servers[0]
if (values.paired === true && ceilingServer !== undefined) {
  for (let round = 0; round < rounds; round++) {
    for (const server of servers.slice(1)) {
      const a = await start(ceilingServer)
      const b = await start(server)
      const urlA = `http://127.0.0.1:${a.port}${ceilingServer.path}`
      const urlB = `http://127.0.0.1:${b.port}${server.path}`
      await Promise.all([load(urlA, warmup), load(urlB, warmup)])
      const [ra, rb] = await Promise.all([load(urlA, duration), load(urlB, duration)])
      const ratio = rb.requests.average / Math.max(1, ra.requests.average)
      paired.set(server.name, [...(paired.get(server.name) ?? []), ratio])
      for (const c of [a.child, b.child]) {
        c.kill('SIGKILL')
        await new Promise((resolve) => c.once('exit', resolve))
      }
      process.stderr.write(`paired round ${round + 1} ${server.name}: ${ratio.toFixed(2)} × ceiling\n`)
    }
  }
}

// On a machine shared with other work, slowdowns only ever come from outside: the best round
// is the closest to each server's real capacity (as hyperfine reports the minimum time).
const best = (xs: number[]) => Math.max(...xs)
const least = (xs: number[]) => Math.min(...xs)
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2
}
const ceiling = best(rows.get(servers[0]?.name ?? '')?.rps ?? [1])
const fastify = best(rows.get('fastify')?.rps ?? [Number.NaN])
const ceilingCpu = least(rows.get(servers[0]?.name ?? '')?.cpuUs ?? [1])
const fastifyCpu = least(rows.get('fastify')?.cpuUs ?? [Number.NaN])
const lines = [
  `autocannon: ${connections} connections, ${duration} s per run after ${warmup} s warm-up, best of ${rounds} rounds (req/s: highest; CPU: lowest; latency and memory: median), Node ${process.version}, POST of a zod-validated JSON body`,
  '',
  '| server | req/s | p50 ms | p99 ms | peak RSS MB | × ceiling | × fastify | CPU µs/req | CPU × ceiling | CPU × fastify | errors |',
  '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
]
for (const [name, row] of rows) {
  const rps = best(row.rps)
  const cpu = least(row.cpuUs)
  lines.push(
    `| ${name} | ${Math.round(rps)} | ${median(row.p50)} | ${median(row.p99)} | ${median(row.mem)} | ${(rps / ceiling).toFixed(2)} | ${(rps / fastify).toFixed(2)} | ${cpu.toFixed(1)} | ${(ceilingCpu / cpu).toFixed(2)} | ${(fastifyCpu / cpu).toFixed(2)} | ${row.errors} |`,
  )
}
if (paired.size > 0) {
  const fastifyRatio = median(paired.get('fastify') ?? [Number.NaN])
  lines.push(
    '',
    `Paired: each server under load at the same time as the ceiling, ${duration} s, ${rounds} rounds (median ratio)`,
    '',
    '| server | × ceiling (paired) | × fastify (paired) | rounds |',
    '|---|---:|---:|---|',
  )
  for (const [name, ratios] of paired) {
    const r = median(ratios)
    lines.push(
      `| ${name} | ${r.toFixed(2)} | ${(r / fastifyRatio).toFixed(2)} | ${ratios.map((x) => x.toFixed(2)).join(' ')} |`,
    )
  }
}
console.log(lines.join('\n'))
