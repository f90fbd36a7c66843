/**
 * The HTTP router against random requests, in process through createHandler and a sample
 * over a real socket: every answer is a success or problem+json with a status of the table,
 * and no request changes a prototype.
 */
import { connect } from 'node:net'
import fc from 'fast-check'
import { createLogger, startApp } from 'manifold'
import { createHandler, type HttpResponse, type ServeHandle, serve } from 'manifold/http'
import { mcpHandler } from 'manifold/mcp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { expectHttpAnswer, expectPrototypesIntact, prototypeFingerprint } from './check.ts'
import { fixture } from './fixture/app.ts'
import { request } from './requests.ts'

const decoder = new TextDecoder()

async function bodyText(res: HttpResponse): Promise<string> {
  const body = res.body
  if (body === undefined) return ''
  if (typeof body === 'string') return body
  if (body instanceof Uint8Array) return decoder.decode(body)
  let text = ''
  for await (const chunk of body) text += typeof chunk === 'string' ? chunk : decoder.decode(chunk)
  return text
}

const header = (res: HttpResponse, name: string): string | undefined => {
  const value = res.headers[name]
  return Array.isArray(value) ? value.join(', ') : value
}

// The internal errors `boom` throws on purpose are logged; keep them off the test output.
beforeAll(() => startApp(fixture, { log: createLogger({ level: 'silent' }) }))

describe('createHandler against random requests', () => {
  const handle = createHandler(fixture, { accessLog: false, mcp: mcpHandler(fixture) })

  it('answers every request with a success or a problem of the table', async () => {
    const before = prototypeFingerprint()
    await fc.assert(
      fc.asyncProperty(request, async (req) => {
        const res = await handle({ ...req, headers: { ...req.headers } })
        const text = await bodyText(res)
        const where = `${req.method} ${req.path}?${req.query} -> ${res.status} ${text.slice(0, 300)}`
        if (req.path === '/mcp' && res.status !== 500) {
          // MCP answers in JSON-RPC on its own endpoint; what matters there is no internal error.
          return
        }
        // `boom` fails on purpose: its 500 must be a clean problem, which expectHttpAnswer checks.
        if (!req.path.startsWith('/boom')) expect(res.status, where).not.toBe(500)
        expectHttpAnswer(res.status, header(res, 'content-type'), req.method === 'HEAD' ? undefined : text)
        expectPrototypesIntact(before)
      }),
      { numRuns: 600, seed: Number(process.env.FC_SEED ?? 3), endOnFailure: true },
    )
  })
})

/**
 * Sends raw bytes and reads until the server closes (requests carry `connection: close`). Garbage
 * is followed by a half-close; a request is not, since node:http aborts a request whose client
 * half-closes before the answer. A 5 s guard ends the wait for bytes the server still waits on.
 */
function raw(port: number, bytes: string | Uint8Array, halfClose = false): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1')
    let out = ''
    const guard = setTimeout(() => socket.destroy(), 5_000)
    socket.setEncoding('latin1')
    socket.on('data', (d: string) => (out += d))
    socket.on('error', (e) => (out === '' ? reject(e) : resolve(out)))
    socket.on('close', () => {
      clearTimeout(guard)
      resolve(out)
    })
    socket.write(bytes)
    if (halfClose) socket.end()
  })
}

function parseResponse(text: string): { status: number; contentType: string | undefined; body: string } {
  const [head = '', ...rest] = text.split('\r\n\r\n')
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1])
  const contentType = /\r\ncontent-type: ([^\r]*)/i.exec(head)?.[1]
  let body = rest.join('\r\n\r\n')
  if (/\r\ntransfer-encoding: chunked/i.test(head)) {
    let decoded = ''
    let at = 0
    while (at < body.length) {
      const eol = body.indexOf('\r\n', at)
      const size = Number.parseInt(body.slice(at, eol), 16)
      if (!(size > 0)) break
      decoded += body.slice(eol + 2, eol + 2 + size)
      at = eol + 2 + size + 2
    }
    body = decoded
  }
  return { status, contentType, body: Buffer.from(body, 'latin1').toString('utf8') }
}

describe('serve() against random requests over a socket', () => {
  let server: ServeHandle
  beforeAll(async () => {
    server = await serve(fixture, { port: 0, print: false, signals: false, accessLog: false })
  })
  afterAll(() => server.close())

  it('answers a sample of random requests the same way on the wire', async () => {
    const before = prototypeFingerprint()
    await fc.assert(
      fc.asyncProperty(request, async (req) => {
        const body = req.body === undefined ? Buffer.alloc(0) : Buffer.from(req.body)
        const lines = [`${req.method} ${req.path}${req.query === '' ? '' : `?${req.query}`} HTTP/1.1`]
        for (const [name, value] of Object.entries(req.headers))
          if (name !== 'host') lines.push(`${name}: ${value}`)
        lines.push('host: 127.0.0.1', 'connection: close')
        if (body.length > 0) lines.push(`content-length: ${body.length}`)
        const bytes = Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), body])
        const res = parseResponse(await raw(server.port, bytes))
        if (req.method === 'CONNECT') return
        if (!req.path.startsWith('/boom')) expect(res.status, `${lines[0]} -> ${res.status}`).not.toBe(500)
        if (Number.isNaN(res.status)) throw new Error(`No HTTP answer to ${lines[0]}`)
        expectHttpAnswer(res.status, res.contentType, req.method === 'HEAD' ? undefined : res.body)
        expectPrototypesIntact(before)
      }),
      { numRuns: 60, seed: Number(process.env.FC_SEED ?? 4), endOnFailure: true },
    )
  })

  it('answers random bytes that are not HTTP with a 400 problem, then keeps serving', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 200 }), async (bytes) => {
        const text = await raw(
          server.port,
          Buffer.concat([Buffer.from(bytes), Buffer.from('\r\n\r\n')]),
          true,
        )
        if (text === '') return
        const res = parseResponse(text)
        expectHttpAnswer(res.status, res.contentType, res.body)
      }),
      { numRuns: 40, seed: Number(process.env.FC_SEED ?? 5), endOnFailure: true },
    )
    const ok = await fetch(`${server.url}/healthz`)
    expect(ok.status).toBe(200)
  })
})
