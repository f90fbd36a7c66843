import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { fixture, manifoldBin, tempDir } from './helpers.ts'

const out = tempDir('cli')
afterAll(() => out.remove())

// The bin as users run it; MANIFOLD_TOOL_SOURCE runs the TypeScript sources, not a stale dist/.
const env = { ...process.env, MANIFOLD_TOOL_SOURCE: '1', NO_COLOR: '1' }
const manifold = (...args: string[]) =>
  spawnSync(process.execPath, [manifoldBin, ...args], { encoding: 'utf8', env })

describe('the manifold command', () => {
  it('manifold --help lists every command group', () => {
    const { stdout, status } = manifold('--help')
    expect(status).toBe(0)
    for (const command of ['build', 'dev', 'init', 'openapi', 'deploy-template sam', 'lambda serve'])
      expect(stdout).toContain(command)
  })

  it('manifold openapi prints the OpenAPI document of the app', () => {
    const { stdout, status } = manifold(
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

  it('manifold deploy-template sam writes template.yaml with every route', () => {
    const file = join(out.dir, 'template.yaml')
    const { status, stderr } = manifold(
      'deploy-template',
      'sam',
      '--root',
      fixture('plain'),
      '--out',
      file,
      '--conditions',
      'source',
    )
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
  ])('manifold fails on %s with a clear error and the right exit code', (_, args, code, message) => {
    const { status, stderr } = manifold(...args)
    expect(status).toBe(code)
    expect(stderr).toMatch(message)
  })

  it('manifold build prints the result on stdout and the size table with the largest modules on stderr', () => {
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
    const { stdout, stderr, status } = manifold('build', ...args, '--json')
    expect(status).toBe(0)
    expect(JSON.parse(stdout).artifacts[0].entry).toBe('lambda')
    expect(stderr).toMatch(
      /^lambda +\S+lambda\/index\.mjs +[\d.]+ KB raw +[\d.]+ KB gzip +zip [\d.]+ [KM]B$/m,
    )
    expect(stderr.split('\n').filter((l) => /^ {4}\S.* [\d.]+ (KB|B) +[\d.]+%$/.test(l))).toHaveLength(5)
  })
})
