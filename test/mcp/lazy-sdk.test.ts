import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'

const run = promisify(execFile)
const root = fileURLToPath(new URL('../..', import.meta.url))
const script = fileURLToPath(new URL('./fixture/import-entry.ts', import.meta.url))
const block = fileURLToPath(new URL('./fixture/block-sdk-register.mjs', import.meta.url))

async function importBlocked(entry: string): Promise<string> {
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', '--import', block, '--conditions=source', script, entry],
    { cwd: root, env: { ...process.env, MANIFOLD_LOG: 'silent' } },
  )
  return stdout
}

const entries = ['manifold', 'manifold/http', 'manifold/lambda', 'manifold/cli'] as const

describe('the MCP SDK', () => {
  it.each(entries)('is not loaded by importing %s', async (entry) => {
    expect(await importBlocked(entry)).toBe('imported\n')
  })

  it('is loaded by manifold/mcp only when a server starts, with an error that says how to install it', async () => {
    const stdout = await importBlocked('manifold/mcp')
    expect(stdout).toContain('imported\n')
    expect(stdout).toContain(
      'Cannot load "@modelcontextprotocol/server", which manifold/mcp needs to serve MCP: install it with "npm install @modelcontextprotocol/server@^2"',
    )
  })
})
