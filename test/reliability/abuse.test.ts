/**
 * Abuse of a real server (the fixture in a child process, on 127.0.0.1 and a free port): many
 * held keep-alive connections, slow-loris headers, a 50 MB body, 10 000 headers, JSON nested
 * 100 000 deep. Each is answered or cut off as docs/http.md says, and the server still answers
 * a normal request afterwards.
 */
import { readdirSync, readFileSync } from 'node:fs'
import type { Socket } from 'node:net'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { expectProblem } from './check.ts'
import { type ServerProcess, startServer } from './server-process.ts'
import { exchange, get, open, problemOf, readResponse } from './wire.ts'

const entry = fileURLToPath(new URL('./fixture/server.ts', import.meta.url))
/** The soft limit on open files of this process (the server child inherits it), from /proc. */
function openFileLimit(): number {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Max open files'))
    const soft = Number(line?.split(/\s{2,}/)[1])
    return Number.isFinite(soft) ? soft : Number.POSITIVE_INFINITY
  } catch {
    return Number.POSITIVE_INFINITY
  }
}
/**
 * How many connections to hold: 10 000 unless RELIABILITY_CONNECTIONS says otherwise, and no more
 * than the open-file limit allows each process (minus room for the runtime's own descriptors).
 */
const limit = openFileLimit()
const wanted = Math.min(Number(process.env.RELIABILITY_CONNECTIONS ?? 10_000), limit - 200)

let server: ServerProcess

/** The server still answers a normal request (a generous 5 s bound, not a timing assertion). */
async function stillServes(): Promise<void> {
  const response = await fetch(`${server.url}/items/1`, { signal: AbortSignal.timeout(5_000) })
  expect(response.status).toBe(200)
  expect(await response.json()).toEqual({ id: 1, name: 'first' })
}

function openFds(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).length
}

beforeAll(async () => {
  server = await startServer(entry, {
    HEADERS_TIMEOUT: '2000',
    REQUEST_TIMEOUT: '5000',
    KEEP_ALIVE_TIMEOUT: '120000',
  })
})
afterAll(() => server.stop())

describe('serve() under abuse', () => {
  it(`holds up to ${wanted} concurrent keep-alive connections and answers on each`, async () => {
    const sockets: Socket[] = []
    let refused = 0
    try {
      for (let start = 0; start < wanted; start += 250) {
        const batch = await Promise.allSettled(
          Array.from({ length: Math.min(250, wanted - start) }, async () => {
            const socket = await open(server.port)
            sockets.push(socket)
            const response = await exchange(socket, get('/healthz'))
            if (response.status !== 200) throw new Error(`status ${response.status}`)
          }),
        )
        refused += batch.filter((r) => r.status === 'rejected').length
        if (refused > 0) break
      }
      const held = sockets.filter((s) => !s.destroyed).length
      const serverFds = server.child.pid === undefined ? 0 : openFds(server.child.pid)
      console.info(
        `connections: ulimit -n ${limit}, wanted ${wanted}, held ${held}, refused ${refused}, server fds ${serverFds}`,
      )
      expect(refused).toBe(0)
      expect(held).toBe(wanted)
      expect(serverFds).toBeGreaterThanOrEqual(wanted)
      // The held connections are alive: a second request on a sample of them is answered.
      const sample = sockets.filter((_, i) => i % 100 === 0)
      const again = await Promise.all(sample.map((s) => exchange(s, get('/items/1'))))
      expect(again.every((r) => r.status === 200)).toBe(true)
      await stillServes()
    } finally {
      for (const socket of sockets) socket.destroy()
    }
  }, 120_000)

  it('cuts off slow-loris headers with 408 and closes the connection', async () => {
    const socket = await open(server.port)
    const response = readResponse(socket)
    socket.write('GET /items/1 HTTP/1.1\r\nhost: 127.0.0.1\r\n')
    // One header byte every 200 ms: the head never completes within HEADERS_TIMEOUT (2 s).
    let n = 0
    const drip = setInterval(() => {
      if (!socket.destroyed) socket.write(n++ % 2 === 0 ? 'x' : '-')
    }, 200)
    try {
      const answer = await response
      expect(answer.status).toBe(408)
      expectProblem(problemOf(answer), 408)
    } finally {
      clearInterval(drip)
      socket.destroy()
    }
    await stillServes()
  }, 30_000)

  it('answers a declared 50 MB body with 413 before reading it, then cuts the connection off', async () => {
    const socket = await open(server.port)
    const size = 50 * 1024 * 1024
    socket.on('error', () => {
      // EPIPE or ECONNRESET while the body is on its way: that is the cut-off.
    })
    const closed = new Promise((resolve) => socket.once('close', resolve))
    // The head declares 50 MB; the server answers from the head alone.
    const answer = await exchange(
      socket,
      `POST /echo HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: ${size}\r\n\r\n`,
    )
    expect(answer.status).toBe(413)
    expectProblem(problemOf(answer), 413)
    expect(answer.head).toMatch(/\r\nconnection: close/i)
    // Sending the body anyway: the connection ends long before 50 MB went through.
    const chunk = Buffer.alloc(1024 * 1024, 0x20)
    let sent = 0
    while (sent < size && !socket.destroyed && socket.writable) {
      sent += chunk.length
      if (!socket.write(chunk)) await Promise.race([new Promise((r) => socket.once('drain', r)), closed])
    }
    await closed
    expect(sent).toBeLessThan(size)
    await stillServes()
  }, 60_000)

  it('answers a 50 MB chunked body with 413 once it passes the limit, or cuts it off', async () => {
    const socket = await open(server.port)
    socket.on('error', () => {
      // cut off mid-body
    })
    let answered = false
    // Caught at once: a reset may come while the body is still being written, long before the
    // answer is awaited, and a rejection left unhandled that long fails the run.
    const response = readResponse(socket)
      .catch((error: NodeJS.ErrnoException) => error)
      .finally(() => {
        answered = true
      })
    socket.write(
      'POST /echo HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n',
    )
    const chunk = Buffer.alloc(1024 * 1024, 0x20)
    const frame = Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')])
    for (let i = 0; i < 50 && !socket.destroyed && !answered; i++) {
      if (socket.write(frame)) continue
      await new Promise<void>((resolve) => {
        const done = () => {
          socket.off('drain', done).off('close', done)
          resolve()
        }
        socket.on('drain', done).on('close', done)
      })
    }
    if (!socket.destroyed && !answered) socket.write('0\r\n\r\n')
    const answer = await response
    if (answer instanceof Error) {
      // The server answered 413 and closed while body bytes were still in flight; TCP may deliver
      // its reset before the answer. That is a cut-off too (never a 2xx, never a hang).
      expect(answer.code).toMatch(/^(ECONNRESET|EPIPE)$/)
    } else {
      expect(answer.status).toBe(413)
      expectProblem(problemOf(answer), 413)
    }
    socket.destroy()
    await stillServes()
  }, 60_000)

  it('answers 10 000 headers with 431 and closes the connection', async () => {
    const socket = await open(server.port)
    const headers = Array.from({ length: 10_000 }, (_, i) => `x-h-${i}: v\r\n`).join('')
    socket.on('error', () => {
      // the server may close before reading every header
    })
    const answer = await exchange(socket, `GET /items/1 HTTP/1.1\r\nhost: 127.0.0.1\r\n${headers}\r\n`)
    expect(answer.status).toBe(431)
    expectProblem(problemOf(answer), 431)
    socket.destroy()
    await stillServes()
  })

  it.each([
    ['arrays', `{"text":${'['.repeat(100_000)}${']'.repeat(100_000)}}`],
    ['objects', `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`],
  ])('answers JSON nested 100 000 deep (%s) with 400 invalid_input', async (_kind, body) => {
    const response = await fetch(`${server.url}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      signal: AbortSignal.timeout(10_000),
    })
    expect(response.status).toBe(400)
    const problem = await response.json()
    expect(expectProblem(problem, 400).code).toBe('invalid_input')
    await stillServes()
  })
})
