// The HTTP API on PORT (3000) and HOST (127.0.0.1): REST routes, /openapi.json, /docs, MCP on /mcp.
import { serve } from 'manifold/http'
import { mcpHandler } from 'manifold/mcp'
import notes from '../core/app.ts'

await serve(notes, { mcp: mcpHandler(notes), bodyLimit: 16 * 1024 * 1024 })
