/**
 * manifold/mcp: an app's operations as MCP tools for AI agents, over stdio
 * ({@link serveMcp}) or Streamable HTTP ({@link mcpHandler}, mounted at `/mcp` by the HTTP
 * server and the Lambda handler). Built on the official SDK v2,
 * `@modelcontextprotocol/server`, an optional peer imported only when a server starts.
 *
 * @module
 */
export { type McpConfig, type McpConfigOptions, type McpServerEntry, mcpConfig } from './config.ts'
export { type McpFetchHandler, type McpHandlerOptions, mcpHandler } from './handler.ts'
export { type ServeMcpOptions, serveMcp } from './serve.ts'
export { type Tool, type ToolAnnotations, type ToolDefinition, toolName, toolsOf } from './tools.ts'
