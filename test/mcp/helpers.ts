/** Test helpers: a tiny node:http server for a fetch handler, and SDK clients over HTTP and stdio. */
import { once } from 'node:events'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Readable } from 'node:stream'
import { Client } from '@modelcontextprotocol/client'

/** Serves a fetch-shaped handler at `/mcp` on 127.0.0.1, on a free port. */
export async function listen(
  handler: (request: Request) => Promise<Response>,
): Promise<{ url: URL; server: Server; close: () => Promise<void> }> {
  const server = createServer((req, res) => void forward(handler, req, res))
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  return {
    url: new URL(`http://127.0.0.1:${port}/mcp`),
    server,
    close: () => {
      server.closeAllConnections()
      return new Promise((resolve) => server.close(() => resolve()))
    },
  }
}

async function forward(
  handler: (request: Request) => Promise<Response>,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  if (!req.url?.startsWith('/mcp')) {
    res.writeHead(404).end()
    return
  }
  const abort = new AbortController()
  res.on('close', () => abort.abort())
  const headers = new Headers()
  for (const [key, value] of Object.entries(req.headers)) {
    if (typeof value === 'string') headers.set(key, value)
  }
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD'
  const request = new Request(new URL(req.url, 'http://127.0.0.1'), {
    method: req.method ?? 'GET',
    headers,
    signal: abort.signal,
    ...(hasBody ? { body: Readable.toWeb(req) as ReadableStream, duplex: 'half' } : {}),
  } as RequestInit)
  const response = await handler(request)
  res.writeHead(response.status, Object.fromEntries(response.headers))
  if (response.body === null) {
    res.end()
    return
  }
  for await (const chunk of response.body) res.write(chunk)
  res.end()
}

/** The protocol revisions the server serves: the current one, and 2025 for older clients. */
export const eras = ['2026-07-28', '2025-11-25'] as const

/** A new SDK client (not connected) that speaks one revision. */
export function newClient(era: (typeof eras)[number] = '2026-07-28'): Client {
  return new Client(
    { name: 'manifold-tests', version: '0.0.0' },
    era === '2025-11-25' ? {} : { versionNegotiation: { mode: { pin: era } } },
  )
}

/** Parses the text content of a tool result. */
export function textJson(result: { content?: unknown }): unknown {
  const content = result.content as { type: string; text: string }[]
  const text = content.find((c) => c.type === 'text')?.text
  if (text === undefined) throw new Error('No text content in the result')
  return JSON.parse(text)
}

/** One progress report as the client sees it. */
export interface Progress {
  progress: number
  total?: number | undefined
  message?: string | undefined
}

/**
 * Collects the progress notifications of calls. The SDK client handles a notification a
 * microtask after a response that came in the same read, when the call's progress handler is
 * gone, and reports it to `onerror` as an unknown token instead: those count as sent too, so
 * the list is what the server sent, in order, before the result.
 */
export function progressRecorder(client: Client): {
  readonly onprogress: (p: Progress) => void
  readonly sent: () => Progress[]
  readonly otherErrors: Error[]
} {
  const seen: Progress[] = []
  const otherErrors: Error[] = []
  client.onerror = (error) => {
    const late = /unknown token: (\{.*\})$/.exec(error.message)?.[1]
    if (late === undefined) {
      otherErrors.push(error)
      return
    }
    const { progressToken: _token, ...params } = (JSON.parse(late) as { params: { progressToken: unknown } })
      .params as { progressToken: unknown; progress: number }
    seen.push(params)
  }
  return { onprogress: (p) => seen.push(p), sent: () => [...seen], otherErrors }
}
