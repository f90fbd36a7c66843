/**
 * Helpers of the HTTP tests: start the fixture on an ephemeral port, send requests with
 * fetch or as raw bytes on a socket (for what fetch refuses to send).
 */
import { connect } from 'node:net'
import type { AccessLogEntry, ServeHandle, ServeOptions } from 'manifold/http'
import { serve } from 'manifold/http'
import { fixture } from './fixture.ts'

export interface Started extends ServeHandle {
  readonly logs: AccessLogEntry[]
}

/** Serves the fixture on 127.0.0.1 with port 0, capturing access-log entries. */
export async function startFixture(options: ServeOptions = {}): Promise<Started> {
  const logs: AccessLogEntry[] = []
  const handle = await serve(fixture, {
    port: 0,
    host: '127.0.0.1',
    print: false,
    signals: false,
    accessLog: (entry) => logs.push(entry),
    ...options,
  })
  return Object.assign(handle, { logs })
}

export interface Reply {
  readonly status: number
  readonly headers: Headers
  readonly text: string
  readonly json: unknown
}

export interface CallInit {
  readonly method?: string
  readonly headers?: Record<string, string>
  readonly body?: string
}

/** Sends one request with fetch; parses a JSON body when there is one. */
export async function call(base: string, path: string, init: CallInit = {}): Promise<Reply> {
  const response = await fetch(base + path, {
    method: init.method ?? 'GET',
    headers: init.headers ?? {},
    ...(init.body === undefined ? {} : { body: init.body }),
  })
  const text = await response.text()
  let json: unknown
  try {
    json = text === '' ? undefined : JSON.parse(text)
  } catch {
    json = undefined
  }
  return { status: response.status, headers: response.headers, text, json }
}

/** POSTs JSON. */
export function post(
  base: string,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Reply> {
  return call(base, path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
}

/**
 * Writes raw bytes to the server and collects what comes back until the server closes the
 * connection or `waitMs` passes. For requests fetch will not send (bad framing, slow headers).
 */
export function raw(port: number, data: string | Buffer, waitMs = 1500): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    const chunks: Buffer[] = []
    const finish = (): void => {
      clearTimeout(timer)
      socket.destroy()
      resolve(Buffer.concat(chunks).toString('latin1'))
    }
    const timer = setTimeout(finish, waitMs)
    socket.on('data', (chunk) => chunks.push(chunk))
    socket.on('close', finish)
    socket.on('error', finish)
    socket.write(data)
  })
}

/** The status code of a raw HTTP/1.1 response, or 0 when there was none. */
export function statusOf(response: string): number {
  const m = /^HTTP\/1\.1 (\d{3})/.exec(response)
  return m === null ? 0 : Number(m[1])
}
