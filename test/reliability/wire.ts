/** Raw HTTP/1.1 on a socket, for what fetch will not do: held connections, slow headers, huge heads. */
import { connect, type Socket } from 'node:net'

export interface WireResponse {
  readonly status: number
  readonly head: string
  readonly body: string
}

/** Opens a TCP connection to 127.0.0.1. */
export function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1')
    socket.once('connect', () => {
      socket.off('error', reject)
      resolve(socket)
    })
    socket.once('error', reject)
  })
}

/** Reads one response (content-length framed, or until the server closes) from a socket. */
export function readResponse(socket: Socket): Promise<WireResponse> {
  return new Promise((resolve, reject) => {
    let data = Buffer.alloc(0)
    const done = (error?: Error) => {
      socket.off('data', onData).off('close', onClose).off('error', onError)
      const text = data.toString('latin1')
      const end = text.indexOf('\r\n\r\n')
      if (end === -1) {
        reject(error ?? new Error(`Connection closed without a response (${data.length} bytes)`))
        return
      }
      const head = text.slice(0, end)
      const body = data.subarray(end + 4).toString('utf8')
      resolve({ status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1]), head, body })
    }
    const complete = () => {
      const text = data.toString('latin1')
      const end = text.indexOf('\r\n\r\n')
      if (end === -1) return false
      const length = /\r\ncontent-length: (\d+)/i.exec(text.slice(0, end))?.[1]
      return length !== undefined && data.length >= end + 4 + Number(length)
    }
    const onData = (chunk: Buffer) => {
      data = Buffer.concat([data, chunk])
      if (complete()) done()
    }
    const onClose = () => done()
    const onError = (error: Error) => done(error)
    socket.on('data', onData).once('close', onClose).once('error', onError)
  })
}

/** Sends one request on an open socket and reads its response. */
export async function exchange(socket: Socket, request: string | Buffer): Promise<WireResponse> {
  const response = readResponse(socket)
  socket.write(request)
  return response
}

/** A GET of a path as raw bytes, keeping the connection alive. */
export const get = (path: string): string => `GET ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n`

/** The body of a response as a parsed problem (or undefined). */
export function problemOf(response: WireResponse): Record<string, unknown> | undefined {
  if (!/content-type: application\/problem\+json/i.test(response.head)) return undefined
  return JSON.parse(response.body) as Record<string, unknown>
}
