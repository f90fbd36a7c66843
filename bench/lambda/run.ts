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
import { mkdirSync, readFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'
import { measuredEnv as env } from '../process-env.ts'
import { handlerBundle } from './bundle-options.ts'

const here = new URL('.', import.meta.url).pathname
const out = `${here}.tmp`
const args = process.argv.slice(2)
const flag = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`)
  return i === -1 ? fallback : Number(args[i + 1])
}
const rounds = flag('rounds', 15)
const invocations = flag('invocations', 100_000)
const warmRounds = flag('warm-rounds', 3)

interface Peer {
  readonly name: string
  readonly file: string
  /** Path fragments of the framework's own code in the bundle. */
  readonly own: RegExp
  readonly path: string
  readonly query: string
}

const peers: Peer[] = [
  {
    name: 'hand-written (ceiling)',
    file: 'handwritten',
    own: /handlers\/handwritten/,
    path: '/hello/Ada',
    query: '',
  },
  { name: 'manifold', file: 'manifold', own: /packages\/manifold\/src\//, path: '/hello/Ada', query: '' },
  { name: 'hono/aws-lambda', file: 'hono', own: /node_modules\/hono\//, path: '/hello/Ada', query: '' },
  {
    name: 'tRPC aws-lambda',
    file: 'trpc',
    own: /node_modules\/@trpc\//,
    path: '/hello',
    query: `input=${encodeURIComponent('{"name":"Ada"}')}`,
  },
  {
    name: 'Powertools event handler',
    file: 'powertools',
    own: /node_modules\/@aws-lambda-powertools\//,
    path: '/hello/Ada',
    query: '',
  },
  { name: 'middy (core)', file: 'middy', own: /node_modules\/@middy\//, path: '/hello/Ada', query: '' },
]

function v2Event(path: string, query: string): Record<string, unknown> {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: query,
    headers: {
      accept: 'application/json',
      host: 'r3pmxmplak.execute-api.us-east-1.amazonaws.com',
      'user-agent': 'curl/8.5.0',
      'x-forwarded-for': '203.0.113.7',
      'x-forwarded-port': '443',
      'x-forwarded-proto': 'https',
    },
    ...(query === '' ? {} : { queryStringParameters: Object.fromEntries(new URLSearchParams(query)) }),
    requestContext: {
      accountId: '123456789012',
      apiId: 'r3pmxmplak',
      domainName: 'r3pmxmplak.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'r3pmxmplak',
      http: { method: 'GET', path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'curl/8.5.0' },
      requestId: 'JKJaXmPLvHcESHA=',
      routeKey: '$default',
      stage: '$default',
      time: '10/Mar/2026:00:00:00 +0000',
      timeEpoch: 1773100800000,
    },
    isBase64Encoded: false,
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  const m = Math.floor(s.length / 2)
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2
}

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

mkdirSync(out, { recursive: true })
const rows: {
  peer: Peer
  min: number
  gzip: number
  own: number
  bundle: string
  event: string
  cold: number[]
  coldCpu: number[]
  warm: number[]
}[] = []
for (const peer of peers) {
  const bundle = `${out}/${peer.file}.mjs`
  const result = await build({
    ...handlerBundle,
    entryPoints: [`${here}handlers/${peer.file}.ts`],
    outfile: bundle,
  })
  const output = Object.values(result.metafile.outputs)[0]
  let own = 0
  for (const [file, info] of Object.entries(output?.inputs ?? {}))
    if (peer.own.test(file)) own += info.bytesInOutput
  const code = readFileSync(bundle)
  rows.push({
    peer,
    min: code.byteLength,
    gzip: gzipSync(code).byteLength,
    own,
    bundle,
    event: JSON.stringify(v2Event(peer.path, peer.query)),
    cold: [],
    coldCpu: [],
    warm: [],
  })
}

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
