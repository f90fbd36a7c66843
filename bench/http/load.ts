/**
 * The load generators of `run.ts`: wrk (C, Debian's `wrk`) when it is installed, else
 * autocannon (npm). Both send the same POST over keep-alive connections, closed-loop, and are
 * read into one result shape. wrk needs about half of autocannon's CPU per request (a sixth in
 * user space; the rest is the kernel's loopback work), so on a small machine it leaves the
 * server, not the load generator, as the bottleneck.
 */
import { execFile, execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { availableParallelism, tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import autocannon from 'autocannon'

const run = promisify(execFile)

/** One load run, as either generator reports it. */
export interface LoadResult {
  readonly rps: number
  readonly total: number
  /** Latency percentiles, milliseconds. */
  readonly p50: number
  readonly p99: number
  /** Socket errors, timeouts and non-2xx answers. */
  readonly errors: number
}

/** The request every server gets. */
export interface LoadRequest {
  readonly url: string
  readonly body: string
  readonly connections: number
  readonly seconds: number
}

export type LoadTool = 'wrk' | 'autocannon'

function installed(command: string): boolean {
  try {
    execFileSync(command, ['--version'], { stdio: 'ignore' })
    return true
  } catch (error) {
    // wrk prints its usage and exits 1 for --version; only a missing binary is ENOENT.
    return (error as NodeJS.ErrnoException).code !== 'ENOENT'
  }
}

/** wrk when it is on PATH, autocannon otherwise; `wanted` forces one. */
export function pickTool(wanted: string | undefined): LoadTool {
  if (wanted === 'wrk' || wanted === 'autocannon') {
    if (wanted === 'wrk' && !installed('wrk')) throw new Error('wrk is not installed (apt-get install wrk)')
    return wanted
  }
  if (wanted !== undefined) throw new Error(`Unknown --tool "${wanted}": expected wrk or autocannon`)
  return installed('wrk') ? 'wrk' : 'autocannon'
}

/**
 * Which CPUs the servers and the load generator get: on two or more, the server the last one
 * and the generator the others, so neither takes time from the other and each server in turn
 * meets the same caches. `undefined` when pinning is off or impossible.
 */
export interface Pinning {
  readonly server: string
  readonly load: string
}

export function pinning(enabled: boolean): Pinning | undefined {
  const cpus = availableParallelism()
  if (!enabled || cpus < 2 || !installed('taskset')) return undefined
  return { server: String(cpus - 1), load: cpus === 2 ? '0' : `0-${cpus - 2}` }
}

/** Puts this process (all its threads) on the load generator's CPUs, for autocannon. */
export function pinSelf(pin: Pinning): void {
  execFileSync('taskset', ['-a', '-p', '-c', pin.load, String(process.pid)], { stdio: 'ignore' })
}

/** A command line, prefixed with `taskset` for the given CPUs when pinning. */
export function pinned(
  cpus: string | undefined,
  command: string,
  args: readonly string[],
): [string, string[]] {
  return cpus === undefined ? [command, [...args]] : ['taskset', ['-c', cpus, command, ...args]]
}

let script: string | undefined
function wrkScript(body: string): string {
  if (script === undefined) {
    script = join(mkdtempSync(join(tmpdir(), 'manifold-bench-wrk-')), 'post.lua')
    writeFileSync(
      script,
      `wrk.method = "POST"\nwrk.body = ${JSON.stringify(body)}\nwrk.headers["Content-Type"] = "application/json"\n`,
    )
  }
  return script
}

/** wrk prints durations as `812.00us`, `1.23ms`, `2.01s`. */
function millis(text: string): number {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(text)
  if (m === null) return Number.NaN
  const n = Number(m[1])
  return m[2] === 'us' ? n / 1000 : m[2] === 'ms' ? n : m[2] === 's' ? n * 1000 : n * 60_000
}

/** Parses the text wrk prints with `--latency`. */
export function parseWrk(out: string): LoadResult {
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1])
  const total = Number(/(\d+) requests in/.exec(out)?.[1])
  const p50 = millis(/\n\s+50%\s+(\S+)/.exec(out)?.[1] ?? '')
  const p99 = millis(/\n\s+99%\s+(\S+)/.exec(out)?.[1] ?? '')
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out)
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? '0')
  const socketErrors = socket === null ? 0 : socket.slice(1).reduce((sum, n) => sum + Number(n), 0)
  if (!Number.isFinite(rps) || !Number.isFinite(total))
    throw new Error(`Could not read wrk's output:\n${out}`)
  return { rps, total, p50, p99, errors: non2xx + socketErrors }
}

/** Runs one load of `request` with `tool`, wrk on the `cpus` given. */
export async function load(tool: LoadTool, request: LoadRequest, cpus?: string): Promise<LoadResult> {
  if (tool === 'autocannon') {
    const r = await autocannon({
      url: request.url,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: request.body,
      connections: request.connections,
      duration: request.seconds,
    })
    return {
      rps: r.requests.average,
      total: r.requests.total,
      p50: r.latency.p50,
      p99: r.latency.p99,
      errors: r.errors + r.non2xx,
    }
  }
  const threads = cpus === undefined ? 1 : Math.max(1, availableParallelism() - 1)
  const args = [
    `-t${threads}`,
    `-c${request.connections}`,
    `-d${request.seconds}s`,
    '--latency',
    '-s',
    wrkScript(request.body),
    request.url,
  ]
  const [command, argv] = pinned(cpus, 'wrk', args)
  const { stdout } = await run(command, argv, { encoding: 'utf8' })
  return parseWrk(stdout)
}
