/**
 * One server of `socketless.ts`: loads a compiled peer, hands its node:http server fake
 * sockets (no kernel, no client process) and drives them closed-loop, each fake connection
 * sending its next request when its answer starts. Prints one JSON line: the CPU
 * microseconds per request of each round. Alone, the server's user-space work is all that
 * runs, so the number moves far less than any socket benchmark on a shared machine.
 *
 *   node socketless-worker.mjs <peer.mjs> <requests per round> <connections> <rounds>
 */
import { createRequire, syncBuiltinESMExports } from 'node:module'
import { Duplex } from 'node:stream'
import { MessageChannel } from 'node:worker_threads'

const require = createRequire(import.meta.url)
const http = require('node:http') as typeof import('node:http')
const servers: import('node:http').Server[] = []
const createServer = http.createServer
// Catch the server the peer creates (its ESM import of node:http sees the patched export).
http.createServer = ((...args: Parameters<typeof createServer>) => {
  const server = createServer(...args)
  servers.push(server)
  return server
}) as typeof createServer
syncBuiltinESMExports()

const [file, nArg, cArg, rArg] = process.argv.slice(2)
const n = Number(nArg ?? 50_000)
const connections = Number(cArg ?? 25)
const rounds = Number(rArg ?? 5)
process.env.PORT = '0'
await import(file as string)
while (servers[0]?.listening !== true) await new Promise((resolve) => setTimeout(resolve, 10))
const server = servers[0] as import('node:http').Server

const path = process.env.BENCH_PATH ?? '/users/create'
const json = JSON.stringify({ name: 'Ada Lovelace', email: 'ada@example.com', age: 36 })
const head = Buffer.from(
  `POST ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: ${json.length}\r\n\r\n`,
)
const body = Buffer.from(json)

let answered = 0
let target = 0
let remaining = 0
let failed = 0
let done: () => void = () => {}
let ready: FakeSocket[] = []
let scheduled = false

/** Like a real socket, node drains the tick queue between the head and the body. */
function send(socket: FakeSocket): void {
  socket.push(head)
  process.nextTick(() => socket.push(body))
}

// Next requests leave together, once per event-loop turn, as data from many sockets does, and
// arrive in the poll phase as socket data does: a MessagePort delivers there (setImmediate would
// deliver in the check phase and give every request an extra turn of the loop).
const { port1, port2 } = new MessageChannel()
port2.on('message', flush)
port2.unref()
function flush(): void {
  scheduled = false
  const list = ready
  ready = []
  for (const socket of list) send(socket)
}

function startsAnswer(chunk: unknown): boolean {
  const text = typeof chunk === 'string' ? chunk.slice(0, 12) : (chunk as Buffer).toString('latin1', 0, 12)
  if (!text.startsWith('HTTP/1.1 ')) return false
  if (!text.startsWith('HTTP/1.1 200')) failed++
  return true
}

class FakeSocket extends Duplex {
  readonly remoteAddress = '127.0.0.1'
  readonly remotePort = 40_000
  constructor() {
    super({ decodeStrings: false, allowHalfOpen: true })
  }
  setTimeout(): this {
    return this
  }
  setNoDelay(): this {
    return this
  }
  setKeepAlive(): this {
    return this
  }
  override _read(): void {}
  override _write(chunk: unknown, _encoding: BufferEncoding, callback: () => void): void {
    if (startsAnswer(chunk)) this.#answered()
    callback()
  }
  override _writev(chunks: { chunk: unknown }[], callback: () => void): void {
    for (const { chunk } of chunks) if (startsAnswer(chunk)) this.#answered()
    callback()
  }
  #answered(): void {
    answered++
    if (answered === target) {
      done()
      return
    }
    if (remaining <= 0) return
    remaining--
    ready.push(this)
    if (!scheduled) {
      scheduled = true
      port1.postMessage(0)
    }
  }
}

const sockets = Array.from({ length: connections }, () => {
  const socket = new FakeSocket()
  server.emit('connection', socket)
  return socket
})

async function run(count: number): Promise<void> {
  answered = 0
  target = count
  remaining = count
  const finished = new Promise<void>((resolve) => (done = resolve))
  for (const socket of sockets) {
    if (remaining === 0) break
    remaining--
    send(socket)
  }
  await finished
}

await run(Math.min(20_000, n))
const cpu: number[] = []
for (let round = 0; round < rounds; round++) {
  const before = process.cpuUsage()
  await run(n)
  const used = process.cpuUsage(before)
  cpu.push((used.user + used.system) / n)
}
process.stdout.write(`${JSON.stringify({ cpu, failed })}\n`)
process.exit(0)
