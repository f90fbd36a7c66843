/**
 * `npm run soak`: the notes server (examples/notes, its server entry, on a temp SQLite file)
 * under mixed load from autocannon for SOAK_SECONDS (default 600). It samples the server's
 * RSS and heap, and fails (exit 1) on any error, on memory growth beyond the bounds below, on
 * an acknowledged write that cannot be read back, or on an unclean exit after SIGTERM.
 *
 *   SOAK_SECONDS=60 npm run soak
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** Growth allowed from the end of warm-up to the end of the run (medians of samples). */
const bounds = { rssBytes: 64 * 1024 * 1024, heapBytes: 16 * 1024 * 1024 }
const seconds = Number(process.env.SOAK_SECONDS ?? 600)
const connections = Number(process.env.SOAK_CONNECTIONS ?? 16)

interface Sample {
  readonly t: number
  readonly rss: number
  readonly heapUsed: number
}

interface RequestSpec {
  method: string
  path: string
  headers?: Record<string, string>
  body?: string
  setupRequest?: (req: RequestSpec) => RequestSpec
  onResponse?: (status: number, body: string) => void
}
interface AutocannonResult {
  requests: { total: number; average: number }
  latency: { p50: number; p99: number; max: number }
  errors: number
  timeouts: number
  non2xx: number
  '2xx': number
}
type Autocannon = (options: {
  url: string
  connections: number
  duration: number
  requests: RequestSpec[]
}) => Promise<AutocannonResult>

const root = fileURLToPath(new URL('../..', import.meta.url))
const autocannon = createRequire(join(root, 'bench', 'package.json'))('autocannon') as Autocannon
const entry = join(root, 'examples/notes/src/bin/server.ts')
const sampler = fileURLToPath(new URL('./soak-sampler.ts', import.meta.url))

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? 0
}

async function start(db: string): Promise<{ child: ChildProcess; url: string; samples: Sample[] }> {
  const child = spawn(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', '--conditions=source', '--import', sampler, entry],
    {
      cwd: root,
      env: {
        ...process.env,
        PORT: '0',
        HOST: '127.0.0.1',
        NOTES_DB: db,
        MANIFOLD_LOG: 'warn',
        SOAK_SAMPLE_MS: '2000',
      },
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    },
  )
  const samples: Sample[] = []
  child.on('message', (m: Sample) => samples.push(m))
  let out = ''
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.setEncoding('utf8').on('data', (d: string) => {
      out += d
      const match = /listening on (http:\/\/\S+)/.exec(out)
      if (match?.[1] !== undefined) resolve(match[1])
    })
    child.once('exit', (code) => reject(new Error(`The notes server exited with ${code} before listening`)))
  })
  return { child, url, samples }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'manifold-soak-'))
  const { child, url, samples } = await start(join(dir, 'notes.db'))
  console.log(`soak: notes at ${url}, ${seconds} s, ${connections} connections, SQLite in ${dir}`)
  const written = new Map<number, string>()
  let counter = 0
  const recent: number[] = []
  const json = { 'content-type': 'application/json' }
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        path: '/notes',
        headers: json,
        setupRequest: (req) => ({
          ...req,
          body: JSON.stringify({ text: `soak note ${++counter} milk`, tags: ['soak', `t${counter % 7}`] }),
        }),
        onResponse: (status, body) => {
          if (status !== 201) return
          const note = JSON.parse(body) as { id: number; text: string }
          written.set(note.id, note.text)
          recent.push(note.id)
          if (recent.length > 100) recent.shift()
        },
      },
      { method: 'GET', path: '/notes?limit=20' },
      {
        method: 'GET',
        path: '/notes/1',
        setupRequest: (req) => ({
          ...req,
          path: `/notes/${recent[Math.floor(Math.random() * recent.length)] ?? 1}`,
        }),
      },
      { method: 'GET', path: '/notes/search?q=milk&limit=5' },
      { method: 'GET', path: '/notes?tag=t3&limit=5' },
      { method: 'GET', path: '/tags' },
    ],
  })

  // Every acknowledged write reads back, through the export stream.
  const exported = new Map<number, string>()
  const response = await fetch(`${url}/notes/export`)
  for (const line of (await response.text()).split('\n')) {
    if (line === '') continue
    const note = JSON.parse(line) as { id: number; text: string }
    exported.set(note.id, note.text)
  }
  const lost = [...written].filter(([id, text]) => exported.get(id) !== text)

  child.kill('SIGTERM')
  const exitCode = await new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  rmSync(dir, { recursive: true, force: true })

  const warm = samples.slice(Math.max(1, Math.floor(samples.length * 0.2)))
  const head = warm.slice(0, Math.max(1, Math.floor(warm.length / 4)))
  const tail = warm.slice(-Math.max(1, Math.floor(warm.length / 4)))
  const rssGrowth = median(tail.map((s) => s.rss)) - median(head.map((s) => s.rss))
  const heapGrowth = median(tail.map((s) => s.heapUsed)) - median(head.map((s) => s.heapUsed))
  const first = samples[0]
  const last = samples.at(-1)
  const summary = {
    seconds,
    connections,
    requests: result.requests.total,
    perSecond: Math.round(result.requests.average),
    latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    writesAcknowledged: written.size,
    writesLost: lost.length,
    samples: samples.length,
    rss: { first: mb(first?.rss ?? 0), last: mb(last?.rss ?? 0), growthAfterWarmup: mb(rssGrowth) },
    heapUsed: {
      first: mb(first?.heapUsed ?? 0),
      last: mb(last?.heapUsed ?? 0),
      growthAfterWarmup: mb(heapGrowth),
    },
    exitCode,
  }
  console.log(JSON.stringify(summary, null, 2))

  const failures: string[] = []
  if (result.errors + result.timeouts + result.non2xx > 0)
    failures.push('errors, timeouts or non-2xx answers')
  if (lost.length > 0)
    failures.push(`${lost.length} acknowledged writes are not readable (first: ${lost[0]?.[0]})`)
  if (written.size === 0) failures.push('no write was acknowledged')
  if (samples.length < 3) failures.push('too few memory samples')
  if (rssGrowth > bounds.rssBytes) failures.push(`RSS grew ${mb(rssGrowth)} (bound ${mb(bounds.rssBytes)})`)
  if (heapGrowth > bounds.heapBytes)
    failures.push(`heap grew ${mb(heapGrowth)} (bound ${mb(bounds.heapBytes)})`)
  if (exitCode !== 0) failures.push(`the server exited with ${exitCode} on SIGTERM`)
  if (failures.length > 0) {
    console.error(`soak failed: ${failures.join('; ')}`)
    process.exitCode = 1
  } else console.log('soak passed')
}

await main()
