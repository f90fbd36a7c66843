/**
 * `mcpConfig()`: the JSON an MCP client needs to start the app's stdio server.
 *
 * @module
 */
import type { AnyApp } from '../app.ts'

/** Options of {@link mcpConfig}. */
export interface McpConfigOptions {
  /** The program the client runs: an absolute path, or a command on the client's PATH. */
  readonly command: string
  /** Its arguments; the app's CLI needs `['mcp']`. Defaults to none. */
  readonly args?: readonly string[]
  /** Environment variables the client sets for the server (database location, tokens). */
  readonly env?: Readonly<Record<string, string>>
}

/** One server entry of an MCP client's config. */
export interface McpServerEntry {
  readonly command: string
  readonly args: string[]
  readonly env?: Record<string, string>
}

/** The config snippet of {@link mcpConfig}: `mcpServers`, keyed by the app's name. */
export interface McpConfig {
  readonly mcpServers: Record<string, McpServerEntry>
}

/**
 * The `mcpServers` snippet that registers the app with Claude Desktop
 * (`claude_desktop_config.json`), Cursor (`.cursor/mcp.json`) and, under the key `servers`,
 * VS Code (`.vscode/mcp.json`). The CLI's `<app> mcp config` prints it.
 *
 * @example
 * ```ts
 * import { mcpConfig } from 'manifold/mcp'
 * import notes from './app.ts'
 * mcpConfig(notes, { command: '/usr/local/bin/notes', args: ['mcp'] })
 * // { mcpServers: { notes: { command: '/usr/local/bin/notes', args: ['mcp'] } } }
 * ```
 */
export function mcpConfig(target: AnyApp, options: McpConfigOptions): McpConfig {
  if (typeof options?.command !== 'string' || options.command === '') {
    throw new TypeError('mcpConfig() needs a command: the program an MCP client runs to start the server')
  }
  const entry: McpServerEntry = {
    command: options.command,
    args: [...(options.args ?? [])],
    ...(options.env === undefined ? {} : { env: { ...options.env } }),
  }
  return { mcpServers: { [target.name]: entry } }
}
