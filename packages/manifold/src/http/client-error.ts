/**
 * Answers requests node:http cannot parse (bad framing, huge headers, slow clients) with
 * problem+json too: they never reach the handler.
 *
 * @module
 */
import type { Duplex } from 'node:stream'
import { createError, type ErrorCode } from '../errors.ts'
import { problemContentType, toProblem } from '../problem.ts'
import { toJson } from '../serialize.ts'

const clientErrors: Record<string, readonly [number, string, ErrorCode, string]> = {
  HPE_HEADER_OVERFLOW: [
    431,
    'Request Header Fields Too Large',
    'payload_too_large',
    'The request headers are too large',
  ],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'Request Timeout', 'timeout', 'The request took too long to arrive'],
}

/** The `clientError` listener of the server: one problem+json answer, then the connection closes. */
export function onClientError(error: Error & { code?: string }, socket: Duplex): void {
  if (!socket.writable || error.code === 'ECONNRESET') {
    socket.destroy()
    return
  }
  const [status, reason, code, message] = clientErrors[error.code ?? ''] ?? [
    400,
    'Bad Request',
    'usage' as const,
    `Cannot parse the HTTP request (${error.code ?? 'malformed'})`,
  ]
  const body = toJson({ ...toProblem(createError(code, message)), status })
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\ncontent-type: ${problemContentType}\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  )
}
