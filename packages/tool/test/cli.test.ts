import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { runCli } from 'manifold/cli'
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest'
import { parse } from 'yaml'
import tool from '../src/app.ts'
import { fixture, manifoldBin, tempDir } from './helpers.ts'

const out = tempDir('cli')
afterAll(() => out.remove())
afterEach(() => vi.restoreAllMocks())

/** Runs the tool's CLI in process with captured output; the tool's own notes go to process.stderr. */
async function manifold(...argv: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk)
    return true
  })
  let status = -1
  await runCli(tool, {
    argv,
    env: { NO_COLOR: '1' },
    stdout: { write: (chunk: string) => (stdout += chunk) },
    stderr: { write: (chunk: string) => (stderr += chunk) },
    exit: (code) => {
      status = code
    },
  })
  vi.restoreAllMocks()
  return { status, stdout, stderr }
}

describe('the manifold command', () => {
  it('manifold --help, run through the bin as npm links it, lists every command group', () => {
    // MANIFOLD_TOOL_SOURCE runs the TypeScript sources, not a dist/ that may be stale.
    const { stdout, status } = spawnSync(process.execPath, [manifoldBin, '--help'], {
      encoding: 'utf8',
      env: { ...process.env, MANIFOLD_TOOL_SOURCE: '1', NO_COLOR: '1' },
    })
    expect(status).toBe(0)
    for (const command of ['build', 'dev', 'init', 'openapi', 'deploy-template sam', 'lambda serve'])
      expect(stdout).toContain(command)
  })

  it('manifold openapi prints the OpenAPI document of the app', async () => {
    const { stdout, status } = await manifold(
      'openapi',
      '--root',
      fixture('plain'),
      '--conditions',
      'source',
      '--json',
    )
    expect(status).toBe(0)
    const doc = JSON.parse(stdout) as { openapi: string; paths: Record<string, Record<string, unknown>> }
    expect(doc.openapi).toBe('3.1.0')
    expect(Object.keys(doc.paths).sort()).toEqual(['/count', '/greet', '/sum'])
  })

  it('manifold deploy-template sam writes template.yaml with the function, the queue and its dead letters', async () => {
    const file = join(out.dir, 'template.yaml')
    const args = ['--root', fixture('plain'), '--out', file, '--conditions', 'source']
    const { status, stderr } = await manifold('deploy-template', 'sam', ...args)
    expect(stderr).toContain(`Wrote ${file}`)
    expect(status).toBe(0)
    const template = parse(readFileSync(file, 'utf8')) as {
      Transform: string
      Resources: Record<string, unknown>
    }
    expect(template.Transform).toBe('AWS::Serverless-2016-10-31')
    expect(Object.keys(template.Resources).sort()).toEqual(['Function', 'Greetings', 'GreetingsDeadLetter'])
  })

  it.each([
    [
      'a folder without package.json',
      ['build', '--root', '/nonexistent'],
      64,
      /Cannot read "\/nonexistent\/package.json"/,
    ],
    ['an unknown entry', ['build', '--only', 'worker'], 65, /"--only".*"worker"/],
    ['an unknown command', ['biuld'], 64, /build/],
    ['a config that names no app', ['openapi', '--root', fixture('mixed')], 64, /names no app module/],
    [
      'an entry the config lacks',
      ['build', '--root', fixture('mixed'), '--only', 'mcp'],
      64,
      /The config has no "mcp" entry/,
    ],
  ])('manifold fails on %s with a clear error and the right exit code', async (_, args, code, message) => {
    const { status, stderr } = await manifold(...args)
    expect(status).toBe(code)
    expect(stderr).toMatch(message)
  })

  it('manifold build prints the result on stdout and the size table with the largest modules on stderr', async () => {
    const args = [
      '--root',
      fixture('plain'),
      '--only',
      'lambda',
      '--out-dir',
      out.dir,
      '--conditions',
      'source',
    ]
    const { stdout, stderr, status } = await manifold('build', ...args, '--json')
    expect(status).toBe(0)
    expect(JSON.parse(stdout).artifacts[0].entry).toBe('lambda')
    expect(stderr).toMatch(
      /^lambda +\S+lambda\/index\.mjs +[\d.]+ KB raw +[\d.]+ KB gzip +zip [\d.]+ [KM]B$/m,
    )
    expect(stderr.split('\n').filter((l) => /^ {4}\S.* [\d.]+ (KB|B) +[\d.]+%$/.test(l))).toHaveLength(5)
  })
})
