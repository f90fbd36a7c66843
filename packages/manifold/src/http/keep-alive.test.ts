/**
 * serve() closes idle keep-alive connections itself (one sweep a second, not node's
 * per-socket timer): these cases pin down what "idle" means, over raw sockets.
 */
import { connect, type Socket } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as z from 'zod'
import { app, op } from '../index.ts'
import { type ServeHandle, serve } from './serve.ts'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

const ping = op({ name: 'ping', readOnly: true, handler: () => ({ pong: true }) })
const echo = op({ name: 'echo', input: z.object({ text: z.string() }), handler: (input) => input })
const ticks = op({
  name: 'ticks',
  readOnly: true,
  input: z.object({ n: z.number(), ms: z.number() }),
  handler: async function* ({ n, ms }) {
    for (let i = 0; i < n; i++) {
      await sleep(ms)
      yield { i }
    }
  },
})
const demo = app({ name: 'keepalive', version: '1.0.0', operations: [ping, echo, ticks] })

/** A raw client connection: what it has read, and when the server closed it. */
class Conn {
  readonly socket: Socket
  text = ''
  closedAt: number | undefined
  readonly closed: Promise<void>

  constructor(port: number) {
    this.socket = connect(port, '127.0.0.1')
    this.socket.setEncoding('latin1')
    this.socket.on('data', (chunk: string) => {
      this.text += chunk
    })
    this.closed = new Promise((resolve) =>
      this.socket.on('close', () => {
        this.closedAt = Date.now()
        resolve()
      }),
    )
  }

  /** Writes `data` and waits until the text read holds `until` `count` times in all. */
  async send(data: string, until: string, count = 1): Promise<void> {
    const seen = () => this.text.split(until).length - 1
    this.socket.write(data)
    for (let i = 0; i < 200 && seen() < count; i++) await sleep(20)
    expect(seen()).toBe(count)
  }
}

const get = (path: string) => `GET ${path} HTTP/1.1\r\nhost: x\r\n\r\n`

const start = (keepAliveTimeout: number): Promise<ServeHandle> =>
  serve(demo, { port: 0, print: false, signals: false, accessLog: false, keepAliveTimeout })

describe('serve() keep-alive', () => {
  let short: ServeHandle
  beforeAll(async () => {
    short = await start(500)
  })
  afterAll(() => short.close())

  it('serve() advertises its keep-alive timeout and closes a connection idle that long', async () => {
    const handle = await start(1000)
    const conn = new Conn(handle.port)
    try {
      await conn.send(get('/ping'), '{"pong":true}\n')
      const answered = Date.now()
      expect(conn.text).toMatch(/\r\nKeep-Alive: timeout=1\r\n/i)
      await Promise.race([conn.closed, sleep(4000)])
      // Not before the advertised second, and no later than node's own timer would (a second past it) plus one sweep.
      expect(conn.closedAt).toBeDefined()
      expect((conn.closedAt as number) - answered).toBeGreaterThanOrEqual(950)
      expect((conn.closedAt as number) - answered).toBeLessThan(3000)
    } finally {
      conn.socket.destroy()
      await handle.close()
    }
  })

  it('serve() keeps a connection that is still sending its next request open past the timeout', async () => {
    const conn = new Conn(short.port)
    try {
      await conn.send(get('/ping'), '{"pong":true}\n')
      const body = JSON.stringify({ text: 'slow' })
      const next = `POST /echo HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n${body}`
      // The request trickles in over 1.8 s, head first, longer than the 0.5 s timeout plus
      // node's second: its head is not complete for most of that, so no call is running yet.
      const pieces = Math.ceil(next.length / 8)
      for (let i = 0; i < pieces; i++) {
        await sleep(1800 / pieces)
        conn.socket.write(next.slice(i * 8, i * 8 + 8))
      }
      await conn.send('', '{"text":"slow"}\n')
      expect(conn.closedAt).toBeUndefined()
    } finally {
      conn.socket.destroy()
    }
  })

  it('serve() keeps a connection open while its response streams for longer than the timeout', async () => {
    const conn = new Conn(short.port)
    try {
      await conn.send(get('/ping'), '{"pong":true}\n')
      await conn.send(get('/ticks?n=6&ms=300'), '{"i":5}\n')
      expect(conn.closedAt).toBeUndefined()
      // And the connection is still good for another call.
      await conn.send(get('/ping'), '{"pong":true}\n', 2)
    } finally {
      conn.socket.destroy()
    }
  })

  it('serve() with keepAliveTimeout 0 neither advertises nor enforces a timeout', async () => {
    const handle = await start(0)
    const conn = new Conn(handle.port)
    try {
      await conn.send(get('/ping'), '{"pong":true}\n')
      expect(conn.text).not.toMatch(/keep-alive:/i)
      await sleep(1500)
      expect(conn.closedAt).toBeUndefined()
    } finally {
      conn.socket.destroy()
      await handle.close()
    }
  })

  it('serve() refuses a keepAliveTimeout that is not a whole number of milliseconds', async () => {
    for (const keepAliveTimeout of [-1, 1.5, Number.NaN]) {
      await expect(serve(demo, { port: 0, print: false, signals: false, keepAliveTimeout })).rejects.toThrow(
        /Invalid keepAliveTimeout/,
      )
    }
  })
})
