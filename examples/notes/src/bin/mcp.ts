// The MCP server on stdio, for AI agents (Claude Desktop, Cursor, VS Code).
import { serveMcp } from 'manifold/mcp'
import notes from '../core/app.ts'

await serveMcp(notes, { transport: 'stdio' })
