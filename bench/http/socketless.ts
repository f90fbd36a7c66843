/**
 * node:http without the kernel: each server's own node:http server, fed through fake sockets
 * by `socketless-worker.ts` in its own process, one server at a time, in rounds. Reports CPU
 * microseconds per request (lowest of every round of every process). With no client process
 * and no syscalls, it shows what a framework costs in user space far more steadily than
 * `run.ts` on a shared machine: use it to compare allocations and per-request work.
 *
 * What it cannot show well: anything that depends on how the event loop meets real sockets.
 * Reading the body after the I/O turn (setImmediate) measured from 0.4 µs slower to 0.6 µs
 * faster here, and about 2 µs faster over sockets, with 25 connections and with one; check
 * such changes with `run.ts`.
 *
 *   node --import tsx bench/http/socketless.ts [--n 50000] [--connections 25] [--rounds 3] [--only a,b] [--base <git ref>]
 */
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { compile, compileBase, here, outdir } from './build.ts'
import { benchServers } from './servers.ts'

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '50000' },
    connections: { type: 'string', default: '25' },
    rounds: { type: 'string', default: '3' },
    only: { type: 'string' },
    base: { type: 'string' },
  },
})
const servers = benchServers(values.base, values.only)
const rounds = Number(values.rounds)

await compile([
  here('./socketless-worker.ts'),
  ...servers.filter((s) => s.dir === undefined).map((s) => here(`./peers/${s.file}.ts`)),
])
if (values.base !== undefined && servers.some((s) => s.dir === 'base')) await compileBase(values.base)

const cpu = new Map<string, number[]>(servers.map((s) => [s.name, []]))
for (let round = 0; round < rounds; round++) {
  for (const server of servers) {
    const peer = join(outdir, server.dir ?? '', `${server.file}.mjs`)
    const run = spawnSync(
      process.execPath,
      [join(outdir, 'socketless-worker.mjs'), peer, values.n, values.connections, '3'],
      {
        encoding: 'utf8',
        // The access log goes to stderr, discarded as in run.ts.
        stdio: ['ignore', 'pipe', 'ignore'],
        env: {
          ...process.env,
          NODE_ENV: 'production',
          MANIFOLD_LOG: 'info',
          BENCH_PATH: server.path,
          ...server.env,
        },
      },
    )
    const line = run.stdout.split('\n').find((l) => l.startsWith('{"cpu"'))
    if (line === undefined) throw new Error(`${server.name} printed no result (exit ${run.status})`)
    const result = JSON.parse(line) as { cpu: number[]; failed: number }
    if (result.failed > 0) throw new Error(`${server.name} answered ${result.failed} requests without 200`)
    cpu.get(server.name)?.push(...result.cpu)
    process.stderr.write(`round ${round + 1} ${server.name}: ${Math.min(...result.cpu).toFixed(2)} µs\n`)
  }
}

const ceiling = Math.min(...(cpu.get(servers[0]?.name ?? '') ?? [Number.NaN]))
const fastify = Math.min(...(cpu.get('fastify') ?? [Number.NaN]))
const lines = [
  `fake sockets: ${values.connections} connections, ${values.n} requests per measure, 3 measures per process, ${rounds} processes per server (lowest), Node ${process.version}, POST of a zod-validated JSON body`,
  '',
  '| server | CPU µs/req | CPU × ceiling | CPU × fastify |',
  '|---|---:|---:|---:|',
]
for (const [name, list] of cpu) {
  const best = Math.min(...list)
  lines.push(
    `| ${name} | ${best.toFixed(2)} | ${(ceiling / best).toFixed(2)} | ${(fastify / best).toFixed(2)} |`,
  )
}
console.log(lines.join('\n'))
