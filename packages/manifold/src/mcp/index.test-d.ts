import { app, op } from 'manifold'
import { fetchHandler, type ServeOptions } from 'manifold/http'
import { type LambdaOptions, lambda } from 'manifold/lambda'
import {
  type McpConfig,
  type McpFetchHandler,
  mcpConfig,
  mcpHandler,
  type ServeMcpOptions,
  serveMcp,
  type ToolDefinition,
  toolsOf,
} from 'manifold/mcp'
import { describe, expectTypeOf, it } from 'vitest'

const hello = app({
  name: 'hello',
  version: '1.0.0',
  operations: [op({ name: 'greet', handler: () => 'hi' })],
})

describe('manifold/mcp types', () => {
  it('mcpHandler() is a fetch handler that serve(), fetchHandler() and lambda() take as mcp', () => {
    const mcp = mcpHandler(hello)
    expectTypeOf(mcp).toEqualTypeOf<McpFetchHandler>()
    expectTypeOf(mcp).toEqualTypeOf<(request: Request) => Promise<Response>>()
    expectTypeOf(mcp).toExtend<NonNullable<ServeOptions['mcp']>>()
    expectTypeOf(mcp).toExtend<NonNullable<LambdaOptions['mcp']>>()
    expectTypeOf(fetchHandler(hello, { mcp })).toBeFunction()
    expectTypeOf(lambda(hello, { mcp })).toBeFunction()
  })

  it('serveMcp() takes only the stdio transport and resolves to nothing', () => {
    expectTypeOf(serveMcp(hello, { transport: 'stdio' })).toEqualTypeOf<Promise<void>>()
    expectTypeOf<ServeMcpOptions['transport']>().toEqualTypeOf<'stdio'>()
    // @ts-expect-error HTTP is mounted with mcpHandler(), not served here
    void serveMcp(hello, { transport: 'http' })
  })

  it('mcpConfig() needs a command and returns the mcpServers snippet', () => {
    expectTypeOf(mcpConfig(hello, { command: 'hello', args: ['mcp'] })).toEqualTypeOf<McpConfig>()
    // @ts-expect-error the command is required
    mcpConfig(hello, {})
  })

  it('toolsOf() maps tool names to definitions', () => {
    expectTypeOf(toolsOf(hello).get('greet')?.definition).toEqualTypeOf<ToolDefinition | undefined>()
  })
})
