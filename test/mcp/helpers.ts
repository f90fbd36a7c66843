/** Test helpers: an HTTP server with MCP mounted, and SDK clients. */
import { Client } from '@modelcontextprotocol/client'
import type { AnyApp } from 'manifold'
import { serve } from 'manifold/http'

/**
 * Serves an app with MCP at `/mcp` on 127.0.0.1 and a free port, through the HTTP adapter's
 * `serve(app, { mcp })`, the way users mount it.
 */
export async function listen(
  target: AnyApp,
  mcp: (request: Request) => Promise<Response>,
): Promise<{ url: URL; close: () => Promise<void> }> {
  const handle = await serve(target, { mcp, port: 0, host: '127.0.0.1', print: false, signals: false })
  return { url: new URL('/mcp', handle.url), close: () => handle.close() }
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
export function textJson(result: object): unknown {
  const content = (result as { content?: unknown }).content as { type: string; text: string }[]
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
