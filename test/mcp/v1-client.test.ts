// The v1 TypeScript SDK client (what the MCP Inspector and many desktop clients run), here as
// a dependency of @modelcontextprotocol/conformance, against the v2-based server.
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import { mcpHandler } from 'manifold/mcp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import fixture from './fixture/app.ts'
import { listen, textJson } from './helpers.ts'

let server: Awaited<ReturnType<typeof listen>>
let client: Client

beforeAll(async () => {
  server = await listen(fixture, mcpHandler(fixture))
  client = new Client({ name: 'v1-client', version: '1.0.0' })
  await client.connect(new StreamableHTTPClientTransport(server.url))
})

afterAll(async () => {
  await client?.close()
  await server?.close()
})

describe('mcpHandler() with a v1 SDK client', () => {
  it('lists the tools and validates results against their output schemas', async () => {
    const { tools } = await client.listTools()
    expect(tools).toHaveLength(11)
    const result = await client.callTool({ name: 'squares', arguments: { n: 3 } })
    expect(result.structuredContent).toEqual({ result: [1, 4, 9] })
  })

  it.each([
    { tool: 'greet', args: { name: '' }, code: 'invalid_input', outputSchema: true },
    { tool: 'notes_add', args: {}, code: 'invalid_input', outputSchema: true },
    { tool: 'delete_note', args: { id: 'nope' }, code: 'not_found', outputSchema: false },
  ])(
    'returns the $code problem of $tool as an error result it can read',
    async ({ tool, args, code, outputSchema }) => {
      const result = await client.callTool({ name: tool, arguments: args })
      expect(result.isError).toBe(true)
      expect(textJson(result)).toMatchObject({ code })
      expect(result.structuredContent === undefined).toBe(outputSchema)
    },
  )
})
