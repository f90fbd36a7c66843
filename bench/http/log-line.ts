// Cost of one access-log line through manifold's logger, beside the same line built the way the
// logger built it before (one merged record, a fresh timestamp, JSON.stringify), in one process.
//   node --import tsx bench/http/log-line.ts
import { createLogger } from '../../packages/manifold/src/log.ts'

let bytes = 0
const write = (line: string) => {
  bytes += line.length
}
const log = createLogger({ level: 'info', write, fields: { app: 'bench' } })
const merged = (fields: Record<string, unknown>) =>
  write(
    JSON.stringify({
      level: 'info',
      time: new Date().toISOString(),
      msg: 'request',
      app: 'bench',
      ...fields,
    }),
  )
const entry = (i: number) => ({
  method: 'POST',
  path: '/users/create',
  status: 200,
  ms: (i % 100) / 100,
  requestId: `abcdef0123456789-${i.toString(36)}`,
  op: 'users.create',
  remoteAddress: '127.0.0.1',
})
const n = 300_000
const best: Record<string, number> = {}
for (let round = 0; round < 5; round++) {
  for (const [name, line] of [
    ['logger', (i: number) => log.info('request', entry(i))],
    ['one merged record', (i: number) => merged(entry(i))],
  ] as const) {
    const started = process.hrtime.bigint()
    for (let i = 0; i < n; i++) line(i)
    const ns = Number(process.hrtime.bigint() - started) / n
    best[name] = Math.min(best[name] ?? Number.POSITIVE_INFINITY, ns)
  }
}
console.log(`best of 5 rounds of ${n} lines, Node ${process.version} (${bytes} bytes written)`)
for (const [name, ns] of Object.entries(best)) console.log(`${name.padEnd(18)} ${ns.toFixed(0)} ns/line`)
