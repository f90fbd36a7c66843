import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { fixture, tempDir } from '../../test/helpers.ts'
import { readConfig } from '../config.ts'
import { lazySdkDir } from './bundle.ts'
import { runBuild } from './run-build.ts'

const out = tempDir('lazy-sdk')
afterAll(() => out.remove())

const initialize = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'test', version: '1' } },
})

describe('the CLI bundle and the MCP SDK', () => {
  it('the CLI bundle leaves the MCP SDK to files of its own that only `<cli> mcp` loads', async () => {
    const config = { ...(await readConfig(fixture('hello'))), outDir: out.dir }
    const { bundles } = await runBuild(config, { only: ['cli'], conditions: ['source'] })
    const cli = bundles[0]
    expect(
      Object.keys(cli?.metafile.inputs ?? {}).filter((p) => p.includes('@modelcontextprotocol')),
    ).toEqual([])
    expect(cli?.lazyFiles?.map((f) => f.path)).toContain(`${lazySdkDir}/server.mjs`)
    expect(existsSync(join(out.dir, lazySdkDir, 'server-stdio.mjs'))).toBe(true)

    const file = join(out.dir, 'cli.mjs')
    const mcp = spawnSync(process.execPath, [file, 'mcp'], { input: `${initialize}\n`, encoding: 'utf8' })
    expect(JSON.parse(mcp.stdout.split('\n')[0] ?? '')).toMatchObject({
      id: 1,
      result: { protocolVersion: '2025-06-18' },
    })
  })
})
