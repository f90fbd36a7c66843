/**
 * Graceful shutdown under load: the fixture server in a child process gets SIGTERM while
 * clients keep slow requests in flight. Every request the server accepted is answered (no
 * reset), new connections are refused once it stops listening, and it exits 0.
 */
import { Agent, request } from 'node:http'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { type ServerProcess, startServer } from './server-process.ts'

const entry = fileURLToPath(new URL('./fixture/server.ts', import.meta.url))

interface Outcome {
  readonly id: string
  readonly status?: number
  readonly error?: string
}

function post(url: string, agent: Agent, id: string): Promise<Outcome> {
  return new Promise((resolve) => {
    const req = request(
      `${url}/slow`,
      { method: 'POST', agent, headers: { 'content-type': 'application/json', 'x-request-id': id } },
      (res) => {
        res.resume()
        res.on('end', () => resolve({ id, status: res.statusCode ?? 0 }))
        res.on('error', (error: Error & { code?: string }) =>
          resolve({ id, error: error.code ?? error.message }),
        )
      },
    )
    req.on('error', (error: Error & { code?: string }) => resolve({ id, error: error.code ?? error.message }))
    req.end('{"ms":300}')
  })
}

let server: ServerProcess | undefined
afterAll(() => server?.stop())

describe('serve() on SIGTERM under load', () => {
  it('answers every accepted request, resets none, and exits 0', async () => {
    server = await startServer(entry, { MANIFOLD_LOG: 'info', SHUTDOWN_TIMEOUT: '10000' })
    const { url } = server
    const agent = new Agent({ keepAlive: true, maxSockets: 32 })
    const outcomes: Outcome[] = []
    let stopping = false
    let next = 0
    const worker = async () => {
      while (!stopping) {
        const outcome = await post(url, agent, `req-${next++}`)
        outcomes.push(outcome)
        if (outcome.error !== undefined) break
      }
    }
    const workers = Array.from({ length: 32 }, worker)
    // Let the load settle until every worker has had a request accepted, then stop the server.
    const started = () => (server?.output().stderr.match(/"msg":"slow started"/g) ?? []).length
    for (let waited = 0; started() < 64 && waited < 20_000; waited += 100) {
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    server.child.kill('SIGTERM')
    const exit = await server.exited
    stopping = true
    await Promise.all(workers)
    agent.destroy()

    const accepted = new Set(
      server
        .output()
        .stderr.split('\n')
        .filter((line) => line.includes('"msg":"slow started"'))
        .map((line) => (JSON.parse(line) as { requestId: string }).requestId),
    )
    const answered = outcomes.filter((o) => o.status === 200)
    const failed = outcomes.filter((o) => o.status !== 200)
    const resetAfterAccept = failed.filter((o) => accepted.has(o.id))
    console.info(
      `shutdown: ${outcomes.length} requests, ${accepted.size} accepted, ${answered.length} answered 200, ` +
        `${failed.length} not answered (${[...new Set(failed.map((o) => o.error ?? o.status))].join(', ') || 'none'}), ` +
        `${resetAfterAccept.length} of them accepted`,
    )
    expect(exit).toEqual({ code: 0, signal: null })
    expect(accepted.size).toBeGreaterThanOrEqual(32)
    expect(resetAfterAccept).toEqual([])
    for (const id of accepted)
      expect(
        answered.some((o) => o.id === id),
        `accepted ${id} answered`,
      ).toBe(true)
    // Requests not accepted were refused at connect time, never cut off mid-way.
    for (const o of failed)
      expect(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'socket hang up']).toContain(o.error)
  }, 60_000)
})
