/**
 * The MCP server of an app, on the official SDK's low-level `Server`: `tools/list` and
 * `tools/call` answered from the operations. The SDK is an optional peer and is imported
 * here lazily, so `import 'manifold/mcp'` costs nothing until a server starts.
 *
 * @module
 */
import type { CallToolResult, Tool as SdkTool, Server, ServerContext } from '@modelcontextprotocol/server'
import type { AnyApp, Credentials } from '../app.ts'
import { callTool } from './call-tool.ts'
import { toolsOf } from './tools.ts'

/** The SDK's server module, typed without loading it. */
export type ServerSdk = typeof import('@modelcontextprotocol/server')

const sdkName = '@modelcontextprotocol/server'

function missingSdk(name: string, cause: unknown): Error {
  return new Error(
    `Cannot load "${name}", which manifold/mcp needs to serve MCP: install it with "npm install ${sdkName}@^2"`,
    { cause },
  )
}

let sdk: Promise<ServerSdk> | undefined

/** Imports the SDK once; a missing peer gives an error that says how to install it. */
export function loadSdk(): Promise<ServerSdk> {
  sdk ??= import('@modelcontextprotocol/server').catch((error: unknown) => {
    sdk = undefined
    throw missingSdk(sdkName, error)
  })
  return sdk
}

/** Imports the SDK's stdio entry (Node only). */
export async function loadStdioSdk(): Promise<typeof import('@modelcontextprotocol/server/stdio')> {
  try {
    return await import('@modelcontextprotocol/server/stdio')
  } catch (error) {
    throw missingSdk(`${sdkName}/stdio`, error)
  }
}

/** What one server instance knows about its caller. */
export interface ServerCall {
  /** Credentials of the HTTP request the instance serves. */
  readonly credentials?: Omit<Credentials, 'surface'> | undefined
}

type ProgressToken = string | number

function progressTokenOf(ctx: ServerContext): ProgressToken | undefined {
  const token = ctx.mcpReq._meta?.progressToken
  return typeof token === 'string' || typeof token === 'number' ? token : undefined
}

interface Reporter {
  readonly send: (progress: number, total?: number, message?: string) => void
  /** Resolves once every notification sent so far is on the wire (they must precede the result). */
  readonly flush: () => Promise<unknown>
}

function reporter(ctx: ServerContext): Reporter | undefined {
  const progressToken = progressTokenOf(ctx)
  if (progressToken === undefined) return undefined
  const pending: Promise<void>[] = []
  return {
    send: (progress, total, message) => {
      const params = {
        progressToken,
        progress,
        ...(total === undefined ? {} : { total }),
        ...(message === undefined ? {} : { message }),
      }
      // A lost notification must never fail the call itself.
      pending.push(ctx.mcpReq.notify({ method: 'notifications/progress', params }).catch(() => undefined))
    },
    flush: async () => {
      if (pending.length === 0) return
      await Promise.all(pending)
      // The SDK client handles a notification a microtask after a response that arrives in the
      // same read, and by then it has dropped the call's progress handler: give the
      // notifications a turn of the event loop of their own before the result goes out.
      await new Promise((resolve) => setTimeout(resolve, 0))
    },
  }
}

/**
 * Creates one SDK server instance that serves the app's operations as tools. The SDK calls
 * this per HTTP request (stateless) and once per stdio connection.
 */
export function createServer(target: AnyApp, lib: ServerSdk, call: ServerCall = {}): Server {
  const tools = toolsOf(target)
  // Our definitions are plain JSON Schema objects; the SDK types them more narrowly.
  const list = [...tools.values()].map((tool) => tool.definition) as unknown as SdkTool[]
  // The low-level Server (not McpServer): manifold validates input itself, so that invalid
  // arguments come back as a problem naming each field rather than a protocol error.
  const server = new lib.Server(
    {
      name: target.name,
      version: target.version,
      ...(target.description ? { description: target.description } : {}),
    },
    { capabilities: { tools: { listChanged: false } } },
  )
  server.setRequestHandler('tools/list', () => ({ tools: list }))
  server.setRequestHandler('tools/call', async (request, ctx) => {
    const { name, arguments: args } = request.params
    const tool = tools.get(name)
    if (tool === undefined) {
      throw new lib.ProtocolError(
        lib.ProtocolErrorCode.InvalidParams,
        `Unknown tool "${name}": call tools/list for the available tools`,
      )
    }
    const progress = reporter(ctx)
    const result = await callTool(target, tool, args, {
      signal: ctx.mcpReq.signal,
      ...(progress === undefined ? {} : { progress: progress.send }),
      ...(call.credentials === undefined ? {} : { credentials: call.credentials }),
    })
    await progress?.flush()
    return server.projectCallToolResult(result as CallToolResult, tool.definition.outputSchema)
  })
  return server
}
