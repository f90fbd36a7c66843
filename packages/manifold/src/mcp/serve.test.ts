import { PassThrough } from 'node:stream'
import { app, op } from 'manifold'
import { serveMcp } from 'manifold/mcp'
import { afterEach, describe, expect, it, vi } from 'vitest'

const chatty = app({
  name: 'chatty',
  version: '1.0.0',
  operations: [
    op({
      name: 'talk',
      handler: () => {
        console.log('from console.log')
        process.stdout.write('from process.stdout.write\n')
        return { ok: true }
      },
    }),
  ],
})

function lines(stream: PassThrough): () => unknown[] {
  let text = ''
  stream.on('data', (chunk: Buffer) => {
    text += chunk.toString()
  })
  return () =>
    text
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l))
}

afterEach(() => {
  vi.restoreAllMocks()
})

describe('serveMcp()', () => {
  it.each([
    {
      transport: 'http',
      message: 'serveMcp() got transport "http": use "stdio", or mount mcpHandler(app) for HTTP',
    },
    {
      transport: undefined,
      message: 'serveMcp() got transport "undefined": use "stdio", or mount mcpHandler(app) for HTTP',
    },
  ])('rejects transport $transport', async ({ transport, message }) => {
    await expect(serveMcp(chatty, { transport } as never)).rejects.toThrow(new TypeError(message))
  })

  it('serves on the given streams, sends user output to stderr, and restores it when the input closes', async () => {
    const stdin = new PassThrough()
    const stdout = new PassThrough()
    const messages = lines(stdout)
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true)
    const originalLog = console.log
    const serving = serveMcp(chatty, { transport: 'stdio', stdin, stdout })
    const send = (m: object) => stdin.write(`${JSON.stringify(m)}\n`)
    send({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '0' } },
    })
    send({ jsonrpc: '2.0', method: 'notifications/initialized' })
    send({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'talk', arguments: {} } })
    await vi.waitFor(() => expect(messages()).toHaveLength(2))
    expect(console.log).not.toBe(originalLog)
    stdin.end()
    await serving
    expect(console.log).toBe(originalLog)
    expect(Object.hasOwn(process.stdout, 'write')).toBe(false)
    expect(messages()[1]).toMatchObject({ id: 2, result: { structuredContent: { ok: true } } })
    const written = stderr.mock.calls.map((call) => String(call[0])).join('')
    expect(written).toContain('from console.log')
    expect(written).toContain('from process.stdout.write')
  })

  it('stops when the signal aborts', async () => {
    const controller = new AbortController()
    const serving = serveMcp(chatty, {
      transport: 'stdio',
      stdin: new PassThrough(),
      stdout: new PassThrough(),
      signal: controller.signal,
    })
    controller.abort()
    await expect(serving).resolves.toBeUndefined()
  })
})
