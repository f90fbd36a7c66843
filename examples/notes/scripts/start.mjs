// `npm start`: the built HTTP server on 127.0.0.1:3000 with SQLite, and how to reach it from
// the CLI and an MCP client. Runs the built bundle, so `npm run build` comes first.
import { existsSync } from 'node:fs'
import { homedir } from 'node:os'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const dist = join(root, 'dist')
if (!existsSync(join(dist, 'server.mjs'))) {
  console.error('Cannot start notes: dist/server.mjs is missing; run `npm run build` first')
  process.exit(1)
}
process.env.HOST ||= '127.0.0.1'
process.env.PORT ||= '3000'

const where = process.env.DATABASE_URL
  ? 'PostgreSQL (DATABASE_URL)'
  : `SQLite at ${
      process.env.NOTES_DB ||
      join(process.env.XDG_DATA_HOME || join(homedir(), '.local', 'share'), 'notes', 'notes.db')
    }`

try {
  await import(join(dist, 'server.mjs'))
} catch (error) {
  const inUse = error?.code === 'EADDRINUSE'
  console.error(
    inUse
      ? `Cannot start notes: port ${process.env.PORT} is in use; start it on another with PORT=3001 npm start`
      : `Cannot start notes: ${error?.message ?? error}`,
  )
  process.exit(1)
}

const url = `http://${process.env.HOST}:${process.env.PORT}`
const cli = relative(process.env.INIT_CWD || process.cwd(), join(dist, 'cli.mjs'))
const mcp = relative(process.env.INIT_CWD || process.cwd(), join(dist, 'mcp.mjs'))
console.log(`
  Notes are stored in ${where}

  API docs   ${url}/docs
  OpenAPI    ${url}/openapi.json
  MCP (HTTP) ${url}/mcp

  Try it from another terminal:
    node ${cli} add "My first note" --tags hello
    node ${cli} list
    curl ${url}/notes
    node ${cli} --remote ${url} search first

  MCP server on stdio for an AI agent:
    node ${mcp}            (client entry: node ${cli} mcp config)

  Ctrl-C stops the server.
`)
