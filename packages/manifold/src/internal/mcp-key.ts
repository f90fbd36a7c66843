/**
 * The key under which a fetch-shaped MCP handler (`mcpHandler(app)`) carries its bridge to the
 * plain HTTP handler (`mcpRoute` in `http/mcp-bridge.ts`). The Lambda adapter reads the bridge
 * from the handler it is given instead of importing it, so that a Lambda bundle without MCP
 * carries none of it.
 *
 * @module
 */
import type { HttpRequest, HttpResponse } from '../http/handle.ts'

/** `Symbol.for`, so that two copies of manifold in one bundle still understand each other. */
export const mcpBridgeKey: unique symbol = Symbol.for('manifold.mcpRoute') as typeof mcpBridgeKey

/** A fetch-shaped MCP handler, possibly carrying its bridge. */
export interface McpFetch {
  (request: Request): Promise<Response>
  readonly [mcpBridgeKey]?: (
    handler: (request: Request) => Promise<Response>,
  ) => (req: HttpRequest, requestId: string) => Promise<HttpResponse>
}
