// A minimal MCP client on the official SDK, for the tour: lists the tools of the notes MCP
// server, or calls one. Over stdio (starts dist/mcp.mjs) by default, or Streamable HTTP with --url.
//
//   node examples/notes/scripts/mcp-client.mjs                       # list tools
//   node examples/notes/scripts/mcp-client.mjs list '{"tag":"garden"}'
//   node examples/notes/scripts/mcp-client.mjs --url http://127.0.0.1:3000/mcp get '{"id":1}'
import { fileURLToPath } from 'node:url'
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client'
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio'

const args = process.argv.slice(2)
let url
if (args[0] === '--url') {
  url = args[1]
  args.splice(0, 2)
}
const [tool, json] = args
const transport =
  url === undefined
    ? new StdioClientTransport({
        command: process.execPath,
        args: [fileURLToPath(new URL('../dist/mcp.mjs', import.meta.url))],
        env: { ...process.env },
        stderr: 'inherit',
      })
    : new StreamableHTTPClientTransport(new URL(url))
const client = new Client({ name: 'notes-tour', version: '1.0.0' })
try {
  await client.connect(transport)
  if (tool === undefined) {
    const { tools } = await client.listTools()
    for (const t of tools) console.log(`${t.name.padEnd(10)} ${t.description ?? ''}`)
  } else {
    const result = await client.callTool({
      name: tool,
      arguments: json === undefined ? {} : JSON.parse(json),
    })
    console.log(JSON.stringify(result.structuredContent ?? result.content, null, 2))
    if (result.isError) process.exitCode = 1
  }
} catch (error) {
  console.error(`MCP call failed: ${error instanceof Error ? error.message : String(error)}`)
  process.exitCode = 1
} finally {
  await client.close()
}
