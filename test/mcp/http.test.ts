import { StreamableHTTPClientTransport } from '@modelcontextprotocol/client'
import { invoke, toJson } from 'manifold'
import { mcpHandler } from 'manifold/mcp'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import fixture, { aborted } from './fixture/app.ts'
import { eras, listen, newClient, progressRecorder, textJson } from './helpers.ts'

let server: Awaited<ReturnType<typeof listen>>

beforeAll(async () => {
  server = await listen(fixture, mcpHandler(fixture))
})

afterAll(async () => {
  await server.close()
})

async function connect(era: (typeof eras)[number], headers: Record<string, string> = {}) {
  const client = newClient(era)
  await client.connect(new StreamableHTTPClientTransport(server.url, { requestInit: { headers } }))
  return client
}

describe.each(eras)('mcpHandler() over HTTP with a %s client', (era) => {
  it('negotiates the revision', async () => {
    const client = await connect(era)
    expect(client.getNegotiatedProtocolVersion()).toBe(era)
    await client.close()
  })

  it('lists one tool per visible operation with names, schemas and annotations', async () => {
    const client = await connect(era)
    const { tools } = await client.listTools()
    await client.close()
    expect(tools.map((t) => t.name)).toEqual([
      'greet',
      'notes_add',
      'delete_note',
      'text_shout',
      'squares',
      'count',
      'work',
      'slow',
      'noisy',
      'whoami',
      'boom',
    ])
    const byName = new Map(tools.map((t) => [t.name, t]))
    expect(byName.get('greet')).toMatchObject({
      description: 'Say hello',
      inputSchema: {
        type: 'object',
        properties: { name: { type: 'string', minLength: 1 } },
        required: ['name'],
      },
      outputSchema: { type: 'object', properties: { message: { type: 'string' } } },
      annotations: { readOnlyHint: true, idempotentHint: true, destructiveHint: false },
    })
    expect(byName.get('delete_note')).toMatchObject({
      title: 'Delete a note',
      annotations: {
        readOnlyHint: false,
        idempotentHint: true,
        destructiveHint: true,
        title: 'Delete a note',
      },
    })
    const $schema = 'https://json-schema.org/draft/2020-12/schema'
    expect(byName.get('squares')?.outputSchema).toEqual({
      $schema,
      type: 'object',
      properties: { result: { type: 'array', items: { type: 'number' } } },
      required: ['result'],
      additionalProperties: false,
    })
    expect(byName.get('noisy')?.inputSchema).toEqual({
      $schema,
      type: 'object',
      properties: {},
      additionalProperties: false,
    })
  })

  it.each([
    { tool: 'greet', op: 'greet', args: { name: 'Ada' }, wrapped: false },
    { tool: 'notes_add', op: 'notes.add', args: { title: 'Milk', tags: ['shop'] }, wrapped: false },
    { tool: 'text_shout', op: 'text.shout', args: { text: 'quiet' }, wrapped: true },
    { tool: 'squares', op: 'squares', args: { n: 4 }, wrapped: true },
  ])(
    'calls $tool and returns the HTTP body as structuredContent and text',
    async ({ tool, op, args, wrapped }) => {
      const client = await connect(era)
      const result = await client.callTool({ name: tool, arguments: args })
      await client.close()
      const direct: unknown = await invoke(fixture, op as 'greet', args as never)
      const body: unknown = JSON.parse(toJson(direct))
      expect(result.isError).toBeFalsy()
      expect(result.structuredContent).toEqual(wrapped ? { result: body } : body)
      expect(textJson(result)).toEqual(body)
    },
  )

  it('returns a problem with isError for an error, naming the code', async () => {
    const client = await connect(era)
    const result = await client.callTool({ name: 'delete_note', arguments: { id: 'missing' } })
    await client.close()
    expect(result.isError).toBe(true)
    expect(result.structuredContent).toMatchObject({
      type: 'https://manifold.dev/errors#not_found',
      status: 404,
      code: 'not_found',
      detail: 'No note "missing"',
    })
    expect(textJson(result)).toEqual(result.structuredContent)
  })

  it('names each failing field of invalid arguments', async () => {
    const client = await connect(era)
    const result = await client.callTool({ name: 'notes_add', arguments: { title: '', tags: [1] } })
    await client.close()
    expect(result.isError).toBe(true)
    // notes_add declares an output schema, so the problem travels as text only.
    expect(result.structuredContent).toBeUndefined()
    const problem = textJson(result) as { code: string; errors: { path: string }[]; detail: string }
    expect(problem.code).toBe('invalid_input')
    expect(problem.errors.map((e) => e.path).sort()).toEqual(['tags.0', 'title'])
    expect(problem.detail).toContain('title:')
    expect(problem.detail).toContain('tags.0:')
  })

  it('hides the cause of an internal error', async () => {
    const client = await connect(era)
    const result = await client.callTool({ name: 'boom', arguments: {} })
    await client.close()
    expect(result.structuredContent).toMatchObject({
      code: 'internal',
      status: 500,
      detail: 'Internal error',
    })
    expect(JSON.stringify(result)).not.toContain('secret detail')
  })

  it('answers an unknown tool with a protocol error', async () => {
    const client = await connect(era)
    await expect(client.callTool({ name: 'hidden', arguments: {} })).rejects.toThrow('Unknown tool "hidden"')
    await client.close()
  })

  it.each([
    { how: 'a bearer token', headers: { authorization: 'Bearer good-token' }, code: undefined },
    { how: 'an API key', headers: { 'x-api-key': 'good-key' }, code: undefined },
    { how: 'no credentials', headers: {}, code: 'unauthenticated' },
    { how: 'a wrong token', headers: { authorization: 'Bearer nope' }, code: 'unauthenticated' },
  ])('passes $how to the auth hook', async ({ headers, code }) => {
    const client = await connect(era, headers)
    const result = await client.callTool({ name: 'whoami', arguments: {} })
    await client.close()
    if (code === undefined) {
      expect(result.structuredContent).toEqual({ principal: { user: 'ada', via: 'mcp' } })
    } else {
      expect(result.isError).toBe(true)
      expect(result.structuredContent).toMatchObject({ code, status: 401 })
    }
  })

  it('sends ctx.progress as progress notifications', async () => {
    const client = await connect(era)
    const progress = progressRecorder(client)
    const result = await client.callTool(
      { name: 'work', arguments: { steps: 3 } },
      { onprogress: progress.onprogress },
    )
    await client.close()
    expect(result.structuredContent).toEqual({ done: 3 })
    expect(progress.otherErrors).toEqual([])
    expect(progress.sent()).toEqual([
      { progress: 1, total: 3, message: 'step 1' },
      { progress: 2, total: 3, message: 'step 2' },
      { progress: 3, total: 3, message: 'step 3' },
    ])
  })

  it('collects a stream into { result } and reports each item as progress', async () => {
    const client = await connect(era)
    const progress = progressRecorder(client)
    const result = await client.callTool(
      { name: 'count', arguments: { to: 3 } },
      { onprogress: progress.onprogress },
    )
    await client.close()
    expect(result.structuredContent).toEqual({ result: [{ n: 1 }, { n: 2 }, { n: 3 }] })
    expect(textJson(result)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }])
    expect(progress.sent()).toEqual([{ progress: 1 }, { progress: 2 }, { progress: 3 }])
  })
})

describe('mcpHandler() cancellation over HTTP', () => {
  it('aborts ctx.signal when a 2026-07-28 client cancels the call', async () => {
    const client = await connect('2026-07-28')
    const controller = new AbortController()
    const call = client.callTool(
      { name: 'slow', arguments: { tag: 'http-modern' } },
      { signal: controller.signal, onprogress: () => controller.abort() },
    )
    await expect(call).rejects.toThrow(/abort/i)
    await vi.waitFor(() => expect(aborted).toContain('http-modern'), { timeout: 10_000 })
    await client.close()
  })
})

describe('mcpHandler() on a bad request', () => {
  it.each([
    { what: 'a GET without a session (stateless)', init: { method: 'GET' }, status: 405 },
    {
      what: 'a body that is not JSON',
      init: { method: 'POST', body: 'nope', headers: { 'content-type': 'application/json' } },
      status: 400,
    },
  ])('answers $what with status $status', async ({ init, status }) => {
    const response = await fetch(server.url, {
      ...init,
      headers: { accept: 'application/json, text/event-stream', ...init.headers },
    })
    await response.arrayBuffer()
    expect(response.status).toBe(status)
  })
})

describe('mcpHandler() against DNS rebinding', () => {
  const initialize = {
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '0' } },
  }
  it.each([
    { what: 'a foreign Origin', origin: 'http://evil.example.com', status: 403 },
    { what: 'a localhost Origin', origin: 'http://localhost:6274', status: 200 },
    { what: 'a 127.0.0.1 Origin', origin: 'http://127.0.0.1:8080', status: 200 },
    { what: 'no Origin (not a browser)', origin: undefined, status: 200 },
  ])('answers $what with status $status', async ({ origin, status }) => {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        ...(origin === undefined ? {} : { origin }),
      },
      body: JSON.stringify(initialize),
    })
    await response.arrayBuffer()
    expect(response.status).toBe(status)
  })

  it('accepts an Origin listed in allowedOrigins', async () => {
    const custom = await listen(fixture, mcpHandler(fixture, { allowedOrigins: ['app.example.com'] }))
    try {
      const statusFor = async (origin: string) => {
        const response = await fetch(custom.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            accept: 'application/json, text/event-stream',
            origin,
          },
          body: JSON.stringify(initialize),
        })
        await response.arrayBuffer()
        return response.status
      }
      expect(await statusFor('https://app.example.com')).toBe(200)
      expect(await statusFor('http://localhost:3000')).toBe(403)
    } finally {
      await custom.close()
    }
  })
})
