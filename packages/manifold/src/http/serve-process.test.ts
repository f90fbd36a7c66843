import { type ChildProcess, spawn } from 'node:child_process'
import { get } from 'node:http'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'

const script = fileURLToPath(new URL('../../../../test/http/server-process.ts', import.meta.url))
const running: ChildProcess[] = []
afterEach(() => {
  for (const child of running.splice(0)) if (child.exitCode === null) child.kill('SIGKILL')
})

interface Proc {
  readonly child: ChildProcess
  readonly url: Promise<string>
  readonly exit: Promise<number | null>
  stdout(): string
  stderr(): string
}

function start(env: Record<string, string>): Proc {
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=source', script], {
    env: { ...process.env, MANIFOLD_LOG: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  running.push(child)
  let out = ''
  let err = ''
  child.stderr?.on('data', (c: Buffer) => {
    err += c.toString()
  })
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  const url = new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString()
      const m = /listening on (http:\/\/\S+)/.exec(out)
      if (m !== null) resolve(m[1] as string)
    })
    void exit.then((code) => reject(new Error(`exited with ${code}: ${err}`)))
  })
  url.catch(() => undefined)
  return { child, url, exit, stdout: () => out, stderr: () => err }
}

const slowCall = (url: string, ms: number) =>
  fetch(`${url}/slow`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ms }),
  })

describe('serve() as a process', () => {
  it('serve() listens on PORT and HOST from the environment and prints its URL', async () => {
    const p = start({ PORT: '0', HOST: '127.0.0.1' })
    const url = await p.url
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(p.stdout()).toBe(`proc listening on ${url}\n`)
    expect((await fetch(`${url}/healthz`)).status).toBe(200)
  })

  it('serve() writes one JSON access-log line per request on stderr by default', async () => {
    const p = start({ PORT: '0', MANIFOLD_LOG: 'info' })
    const url = await p.url
    await (await fetch(`${url}/pid`, { headers: { 'x-request-id': 'log-1' } })).text()
    await (await fetch(`${url}/nope`, { headers: { 'x-request-id': 'log-2' } })).text()
    const lines = () =>
      p
        .stderr()
        .split('\n')
        .filter((l) => l.includes('"msg":"request"'))
        .map((l) => JSON.parse(l) as Record<string, unknown>)
    await expect.poll(() => lines().length, { timeout: 5000 }).toBe(2)
    expect(lines()[0]).toEqual(
      expect.objectContaining({
        level: 'info',
        app: 'proc',
        method: 'GET',
        path: '/pid',
        status: 200,
        requestId: 'log-1',
        op: 'pid',
      }),
    )
    expect(lines()[1]).toEqual(expect.objectContaining({ path: '/nope', status: 404, requestId: 'log-2' }))
  })

  it('serve() refuses an invalid PORT with a clear error', async () => {
    const p = start({ PORT: 'eighty' })
    expect(await p.exit).not.toBe(0)
    expect(p.stderr()).toContain('Invalid PORT "eighty": expected an integer from 0 to 65535')
  })

  it('serve() finishes in-flight requests on SIGTERM, then releases deps and exits 0', async () => {
    const p = start({ PORT: '0' })
    const url = await p.url
    await (await fetch(`${url}/pid`)).text()
    const inFlight = slowCall(url, 600)
    await new Promise((resolve) => setTimeout(resolve, 150))
    p.child.kill('SIGTERM')
    const response = await inFlight
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ waited: 600 })
    expect(await p.exit).toBe(0)
    expect(p.stderr()).toMatch(/deps closed \d+/)
    await expect(fetch(`${url}/healthz`)).rejects.toThrow()
  })

  it('serve() cuts requests that outlive the shutdown deadline and still exits 0', async () => {
    const p = start({ PORT: '0', SHUTDOWN_MS: '100' })
    const url = await p.url
    const inFlight = slowCall(url, 20_000).then(
      (r) => r.status,
      () => 'closed',
    )
    await new Promise((resolve) => setTimeout(resolve, 150))
    p.child.kill('SIGTERM')
    expect(await inFlight).toBe('closed')
    expect(await p.exit).toBe(0)
    expect(p.stderr()).toMatch(/deps closed/)
  })

  it('serve() spreads connections over cluster workers and stops them on SIGTERM', async () => {
    const p = start({ PORT: '0', WORKERS: '2' })
    const url = await p.url
    expect(p.stdout()).toContain('(2 workers)')
    const pids = new Set<number>()
    // The URL is printed when the first worker listens; the second may still be starting.
    for (let i = 0; i < 200 && pids.size < 2; i++) {
      if (i >= 20) await new Promise((resolve) => setTimeout(resolve, 50))
      // A new connection each time (fetch on Node 24 reuses its socket whatever the headers say).
      pids.add((JSON.parse(await getOnce(`${url}/pid`)) as { pid: number }).pid)
    }
    expect(pids.size).toBe(2)
    expect(pids.has(p.child.pid as number)).toBe(false)
    p.child.kill('SIGTERM')
    expect(await p.exit).toBe(0)
  }, 60_000)
})

function getOnce(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    get(url, { agent: false }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => {
        body += chunk
      })
      res.on('end', () => resolve(body))
    }).on('error', reject)
  })
}
