import { execFile } from 'node:child_process'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { mcpHandler } from 'manifold/mcp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import conformance from './fixture/conformance.ts'
import { listen } from './helpers.ts'

const run = promisify(execFile)
const cli = fileURLToPath(
  new URL('../../node_modules/@modelcontextprotocol/conformance/dist/index.js', import.meta.url),
)
const baseline = fileURLToPath(new URL('./conformance-baseline.yml', import.meta.url))
// The suite imports fs.globSync (Node 22+) for a command we do not run; this gives it one on Node 20.
const globSync = fileURLToPath(new URL('./fixture/glob-sync-register.mjs', import.meta.url))

let server: Awaited<ReturnType<typeof listen>>
let out: string

beforeAll(async () => {
  server = await listen(conformance, mcpHandler(conformance))
  out = await mkdtemp(join(tmpdir(), 'manifold-conformance-'))
})

afterAll(async () => {
  await server?.close()
  await rm(out, { recursive: true, force: true })
})

interface Check {
  readonly id: string
  readonly status: 'SUCCESS' | 'FAILURE' | 'WARNING' | 'INFO' | 'SKIPPED'
  readonly errorMessage?: string
}

/** Runs the conformance CLI; resolves with its exit code and the checks of each scenario. */
async function conformanceRun(
  args: string[],
): Promise<{ code: number; output: string; checks: Map<string, Check[]> }> {
  const dir = await mkdtemp(join(out, 'run-'))
  let code = 0
  let output = ''
  try {
    const argv = ['--import', globSync, cli, 'server', '--url', server.url.href, '-o', dir, ...args]
    const result = await run(process.execPath, argv, { maxBuffer: 16 * 1024 * 1024 })
    output = result.stdout + result.stderr
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string }
    code = failed.code ?? 1
    output = `${failed.stdout ?? ''}${failed.stderr ?? ''}`
  }
  const checks = new Map<string, Check[]>()
  for (const entry of await readdir(dir)) {
    const scenario = entry.replace(/^server-/, '').replace(/-\d{4}-\d\d-\d\dT.*$/, '')
    checks.set(scenario, JSON.parse(await readFile(join(dir, entry, 'checks.json'), 'utf8')) as Check[])
  }
  return { code, output, checks }
}

const failures = (checks: Check[] | undefined) =>
  (checks ?? []).filter((c) => c.status === 'FAILURE').map((c) => `${c.id}: ${c.errorMessage ?? ''}`)

describe('the official MCP conformance suite against mcpHandler()', () => {
  it('passes every applicable server scenario of the active suite, and fails only the listed ones', async () => {
    const { code, output, checks } = await conformanceRun(['--expected-failures', baseline])
    expect(code, output.slice(-4000)).toBe(0)
    for (const scenario of [
      'server-initialize',
      'ping',
      'tools-list',
      'tools-call-simple-text',
      'tools-call-error',
      'tools-call-with-progress',
      'dns-rebinding-protection',
    ]) {
      expect(checks.has(scenario), scenario).toBe(true)
      expect(failures(checks.get(scenario)), scenario).toEqual([])
    }
  })

  it('keeps the JSON Schema 2020-12 keywords of a tool input ($schema, $defs, additionalProperties)', async () => {
    const { code, output, checks } = await conformanceRun(['--scenario', 'json-schema-2020-12'])
    expect(code, output.slice(-4000)).toBe(0)
    const list = checks.get('json-schema-2020-12') ?? []
    expect(list.map((c) => [c.id, c.status])).toEqual([
      ['json-schema-2020-12-tool-found', 'SUCCESS'],
      ['json-schema-2020-12-$schema', 'SUCCESS'],
      ['json-schema-2020-12-$defs', 'SUCCESS'],
      ['json-schema-2020-12-additionalProperties', 'SUCCESS'],
    ])
  })
})
