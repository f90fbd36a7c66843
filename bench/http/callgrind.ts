/**
 * Instructions per request, independent of the machine's load: each server (built as
 * `build.ts` builds it) runs under `valgrind --tool=callgrind`, and this process, a separate
 * client, sends it the bench workload (the POST of `run.ts`, head and body in one write, as
 * autocannon sends it) over keep-alive connections, closed-loop. After a warm-up the counters
 * are zeroed (`callgrind_control -z`), `--n` requests are sent and the counters dumped
 * (`callgrind_control -d`): instructions of every thread of the server (JIT, GC and all) over
 * those requests, divided by their number. Several measures per process; the lowest is
 * reported (a measure that meets a major GC or a recompilation costs up to 25 % more), with
 * the mean and the highest. Kernel time is not counted, and whatever is cached per
 * millisecond or per second (the access log's timestamp, node's `Date` header) is recomputed
 * far more often per request than at full speed, since the program runs some 50x slower.
 *
 *   node --import tsx bench/http/callgrind.ts [--n 4000] [--warmup 6000] [--measures 3] [--connections 25] [--only a,b] [--skip a,b] [--base <git ref>] [--keep]
 *
 * `--keep` leaves the dump files (for `callgrind_annotate`) and prints where.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { connect, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { compile, compileBase, here, outdir } from './build.ts'
import { type BenchServer, benchServers, listeningPort } from './servers.ts'

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '4000' },
    warmup: { type: 'string', default: '6000' },
    measures: { type: 'string', default: '3' },
    connections: { type: 'string', default: '25' },
    only: { type: 'string' },
    skip: { type: 'string' },
    base: { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
})
const n = Number(values.n)
const warmup = Number(values.warmup)
const measures = Number(values.measures)
const connections = Number(values.connections)
const skip = values.skip?.split(',') ?? []
const servers = benchServers(values.base, values.only).filter((s) => !skip.some((w) => s.name.includes(w)))

await compile(servers.filter((s) => s.dir === undefined).map((s) => here(`./peers/${s.file}.ts`)))
if (values.base !== undefined && servers.some((s) => s.dir === 'base')) await compileBase(values.base)

const json = JSON.stringify({ name: 'Ada Lovelace', email: 'ada@example.com', age: 36 })

function start(server: BenchServer, dir: string): Promise<{ child: ChildProcess; port: number }> {
  const file = join(outdir, server.dir ?? '', `${server.file}.mjs`)
  const child = spawn(
    'valgrind',
    [
      '--tool=callgrind',
      `--callgrind-out-file=${join(dir, 'cg.out')}`,
      '--dump-instr=no',
      process.execPath,
      file,
    ],
    {
      stdio: ['ignore', 'pipe', 'ignore'],
      env: { ...process.env, PORT: '0', NODE_ENV: 'production', MANIFOLD_LOG: 'info', ...server.env },
    },
  )
  return listeningPort(child, server.name).then((port) => ({ child, port }))
}

/** Keep-alive connections that each send the next request once the answer is complete. */
async function open(port: number, path: string): Promise<Socket[]> {
  const request = Buffer.from(
    `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(json)}\r\n\r\n${json}`,
  )
  return Promise.all(
    Array.from(
      { length: connections },
      () =>
        new Promise<Socket>((resolve, reject) => {
          const socket = connect(port, '127.0.0.1', () => resolve(socket))
          socket.setNoDelay(true)
          socket.once('error', reject)
          ;(socket as Socket & { request: Buffer }).request = request
        }),
    ),
  )
}

let failed = 0

/** Sends `count` requests spread over the connections, closed-loop; resolves when all are answered. */
function drive(sockets: Socket[], count: number): Promise<void> {
  let remaining = count
  let answered = 0
  return new Promise((resolve, reject) => {
    for (const socket of sockets) {
      let buffered = ''
      const onData = (chunk: Buffer): void => {
        buffered += chunk.toString('latin1')
        while (true) {
          const end = buffered.indexOf('\r\n\r\n')
          if (end === -1) return
          const head = buffered.slice(0, end)
          const length = Number(/content-length: *(\d+)/i.exec(head)?.[1] ?? '0')
          if (buffered.length < end + 4 + length) return
          if (!head.startsWith('HTTP/1.1 200')) failed++
          buffered = buffered.slice(end + 4 + length)
          answered++
          if (answered === count) {
            for (const s of sockets) s.removeAllListeners('data')
            resolve()
            return
          }
          if (remaining > 0) {
            remaining--
            socket.write((socket as Socket & { request: Buffer }).request)
          }
        }
      }
      socket.on('data', onData)
      socket.once('error', reject)
      if (remaining > 0) {
        remaining--
        socket.write((socket as Socket & { request: Buffer }).request)
      }
    }
  })
}

function control(flag: string, pid: number): void {
  execFileSync('callgrind_control', [flag, String(pid)], { stdio: 'ignore' })
}

/** Total instructions (`summary:` or `totals:` line) of the newest dump in `dir`. */
function dumpedInstructions(dir: string, seen: Set<string>): number {
  const deadline = Date.now() + 60_000
  while (Date.now() < deadline) {
    for (const name of readdirSync(dir)) {
      if (seen.has(name)) continue
      const text = readFileSync(join(dir, name), 'utf8')
      const m = /^(?:summary|totals): (\d+)/m.exec(text)
      if (m !== null) {
        seen.add(name)
        return Number(m[1])
      }
    }
    execFileSync('sleep', ['0.2'])
  }
  throw new Error('no callgrind dump appeared')
}

const results = new Map<string, number[]>()
for (const server of servers) {
  const dir = mkdtempSync(join(tmpdir(), 'manifold-callgrind-'))
  const { child, port } = await start(server, dir)
  const pid = child.pid as number
  const sockets = await open(port, server.path)
  await drive(sockets, warmup)
  const seen = new Set(readdirSync(dir))
  const list: number[] = []
  for (let i = 0; i < measures; i++) {
    control('-z', pid)
    await drive(sockets, n)
    control('-d', pid)
    list.push(dumpedInstructions(dir, seen) / n)
  }
  for (const s of sockets) s.destroy()
  child.kill('SIGKILL')
  await new Promise((resolve) => child.once('exit', resolve))
  if (failed > 0) throw new Error(`${server.name} answered ${failed} requests without 200`)
  results.set(server.name, list)
  process.stderr.write(`${server.name}: ${list.map((v) => Math.round(v)).join(' ')} instructions/request\n`)
  if (values.keep) process.stderr.write(`  dumps in ${dir}\n`)
  else rmSync(dir, { recursive: true, force: true })
}

const best = (name: string): number => Math.min(...(results.get(name) ?? [Number.NaN]))
const ceiling = best(servers[0]?.name ?? '')
const fastify = best('fastify')
const lines = [
  `callgrind: ${connections} keep-alive connections, ${warmup} warm-up requests, then ${measures} measures of ${n} requests, Node ${process.version}, POST of a zod-validated JSON body. Lowest measure (steady state), mean of all (with the major GCs and recompilations some measures meet); ratios of the lowest, this server / ceiling and / fastify: below 1 is cheaper`,
  '',
  '| server | instructions/req (lowest) | mean | highest | × ceiling | × fastify |',
  '|---|---:|---:|---:|---:|---:|',
]
for (const [name, list] of results) {
  const low = Math.min(...list)
  const high = Math.max(...list)
  const mean = list.reduce((a, b) => a + b, 0) / list.length
  lines.push(
    `| ${name} | ${Math.round(low)} | ${Math.round(mean)} | ${Math.round(high)} | ${(low / ceiling).toFixed(2)} | ${(low / fastify).toFixed(2)} |`,
  )
}
process.stdout.write(`${lines.join('\n')}\n`)
