import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio'
import { describe, expect, it, vi } from 'vitest'
import { eras, newClient, progressRecorder, textJson } from './helpers.ts'

const entry = fileURLToPath(new URL('./fixture/stdio.ts', import.meta.url))
const root = fileURLToPath(new URL('../..', import.meta.url))
const nodeArgs = ['--import', 'tsx', '--conditions=source', entry]
const env = { ...process.env, MANIFOLD_LOG: 'silent' } as Record<string, string>

/** Starts the fixture's stdio server under an SDK client; stderr is collected. */
async function start(era: (typeof eras)[number]) {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: nodeArgs,
    cwd: root,
    env,
    stderr: 'pipe',
  })
  let stderr = ''
  transport.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString()
  })
  const client = newClient(era)
  const progress = progressRecorder(client)
  await client.connect(transport)
  return { client, progress, stderr: () => stderr }
}

describe.each(eras)('serveMcp() over stdio with a %s client', (era) => {
  it('lists tools, calls them, reports errors, progress and cancellation, and keeps stdout clean', async () => {
    const { client, progress, stderr } = await start(era)
    try {
      expect(client.getNegotiatedProtocolVersion()).toBe(era)
      expect(client.getServerVersion()).toMatchObject({ name: 'fixture', version: '1.2.3' })

      const { tools } = await client.listTools()
      expect(tools).toHaveLength(11)
      expect(tools.find((t) => t.name === 'hidden')).toBeUndefined()

      const greeting = await client.callTool({ name: 'greet', arguments: { name: 'Ada' } })
      expect(greeting.structuredContent).toEqual({ message: 'Hello, Ada!' })
      expect(textJson(greeting)).toEqual({ message: 'Hello, Ada!' })

      const shout = await client.callTool({ name: 'text_shout', arguments: { text: 'hi' } })
      expect(shout.structuredContent).toEqual({ result: 'HI' })
      expect(textJson(shout)).toBe('HI')

      const invalid = await client.callTool({ name: 'greet', arguments: { name: 42 } })
      expect(invalid.isError).toBe(true)
      expect(textJson(invalid)).toMatchObject({ code: 'invalid_input', errors: [{ path: 'name' }] })

      const missing = await client.callTool({ name: 'delete_note', arguments: { id: 'x' } })
      expect(missing.structuredContent).toMatchObject({ code: 'not_found', status: 404 })

      const work = await client.callTool(
        { name: 'work', arguments: { steps: 2 } },
        { onprogress: progress.onprogress },
      )
      expect(work.structuredContent).toEqual({ done: 2 })
      expect(progress.sent()).toEqual([
        { progress: 1, total: 2, message: 'step 1' },
        { progress: 2, total: 2, message: 'step 2' },
      ])

      const before = progress.sent().length
      const count = await client.callTool(
        { name: 'count', arguments: { to: 4 } },
        { onprogress: progress.onprogress },
      )
      expect(count.structuredContent).toEqual({ result: [{ n: 1 }, { n: 2 }, { n: 3 }, { n: 4 }] })
      expect(progress.sent().slice(before)).toEqual([1, 2, 3, 4].map((n) => ({ progress: n })))

      const controller = new AbortController()
      const slow = client.callTool(
        { name: 'slow', arguments: { tag: `stdio-${era}` } },
        { signal: controller.signal, onprogress: () => controller.abort() },
      )
      await expect(slow).rejects.toThrow(/abort/i)
      await vi.waitFor(() => expect(stderr()).toContain(`slow aborted: stdio-${era}`), { timeout: 10_000 })

      const noisy = await client.callTool({ name: 'noisy', arguments: {} })
      expect(noisy.structuredContent).toEqual({ ok: true })
      // The server keeps answering after user code wrote to stdout: nothing reached the wire.
      const again = await client.callTool({ name: 'greet', arguments: { name: 'Bo' } })
      expect(again.structuredContent).toEqual({ message: 'Hello, Bo!' })
      await vi.waitFor(() => expect(stderr()).toContain('noise from process.stdout.write'), {
        timeout: 10_000,
      })
      for (const line of ['console.log', 'console.info', 'console.debug']) {
        expect(stderr()).toContain(`noise from ${line}`)
      }
      expect(progress.otherErrors).toEqual([])
    } finally {
      await client.close()
    }
  })
})

describe('serveMcp() stdout', () => {
  it('carries only JSON-RPC messages while user code writes to stdout, and resolves when stdin closes', async () => {
    const child = spawn(process.execPath, nodeArgs, { cwd: root, env, stdio: ['pipe', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
    })
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
    })
    const send = (message: object) => child.stdin.write(`${JSON.stringify(message)}\n`)
    send({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '0' } },
    })
    await vi.waitFor(() => expect(stdout).toContain('"id":1'), { timeout: 20_000 })
    send({ jsonrpc: '2.0', method: 'notifications/initialized' })
    send({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'noisy', arguments: {} } })
    send({
      jsonrpc: '2.0',
      id: 3,
      method: 'tools/call',
      params: { name: 'greet', arguments: { name: 'Cy' } },
    })
    await vi.waitFor(() => expect(stdout).toContain('"id":3'), { timeout: 10_000 })
    child.stdin.end()
    const [code] = await once(child, 'exit')
    expect(code).toBe(0)
    const messages = stdout
      .split('\n')
      .filter((line) => line !== '')
      .map(
        (line) =>
          JSON.parse(line) as { jsonrpc: string; id?: number; result?: { structuredContent?: unknown } },
      )
    expect(messages.every((m) => m.jsonrpc === '2.0')).toBe(true)
    expect(messages.map((m) => m.id)).toEqual([1, 2, 3])
    expect(messages[1]?.result?.structuredContent).toEqual({ ok: true })
    expect(stderr).toContain('noise from console.log')
    expect(stderr).toContain('noise from process.stdout.write')
    // serveMcp resolved once stdin closed: the entry's next line ran.
    expect(stderr).toContain('stdio server closed')
  })
})
