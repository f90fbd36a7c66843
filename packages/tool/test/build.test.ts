import { execFileSync, spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { invoke, isManifoldError } from 'manifold'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import tool from '../src/app.ts'
import { runBuild } from '../src/build/run-build.ts'
import { readZip } from '../src/build/zip.ts'
import { readConfig } from '../src/config.ts'
import { fixture, tempDir } from './helpers.ts'

const out = tempDir('build')
afterAll(() => out.remove())

const build = (name: string, extra: Record<string, unknown> = {}) =>
  invoke(tool, 'build', {
    root: fixture(name),
    outDir: join(out.dir, name),
    conditions: ['source'],
    quiet: true,
    ...extra,
  })

const run = (file: string, args: string[]) =>
  execFileSync(process.execPath, [file, ...args], { encoding: 'utf8' })

function evalModule(file: string, code: string): string {
  return execFileSync(
    process.execPath,
    ['--input-type=module', '-e', `const m = await import(${JSON.stringify(file)}); ${code}`],
    { encoding: 'utf8' },
  )
}

describe('manifold build on a hand-written fixture', () => {
  const dist = join(out.dir, 'plain')
  let result: Awaited<ReturnType<typeof build>>
  beforeAll(async () => {
    result = await build('plain')
  })

  it('build writes one artifact per entry and reports raw and gzip sizes', () => {
    expect(result.artifacts.map((a) => [a.entry, a.file])).toEqual([
      ['cli', expect.stringMatching(/plain\/cli\.mjs$/)],
      ['server', expect.stringMatching(/plain\/server\.mjs$/)],
      ['lambda', expect.stringMatching(/plain\/lambda\/index\.mjs$/)],
      ['mcp', expect.stringMatching(/plain\/mcp\.mjs$/)],
    ])
    for (const a of result.artifacts) expect(a.gzip).toBeLessThan(a.raw)
    expect(result.artifacts.find((a) => a.entry === 'lambda')?.zip).toBe(
      statSync(join(dist, 'lambda.zip')).size,
    )
  })

  it('build makes cli.mjs an executable with a shebang that runs CommonJS dependencies', () => {
    const file = join(dist, 'cli.mjs')
    expect(readFileSync(file, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true)
    expect(statSync(file).mode & 0o111).toBe(0o111)
    expect(execFileSync(file, ['greet', '{"name":"bundle"}'], { encoding: 'utf8' }).trim()).toBe(
      '{"message":"Hello, bundle!"}',
    )
    // isexe is CommonJS and requires node:fs at run time: the createRequire banner makes that work.
    expect(run(file, ['isexe'])).toBe('true\n')
  })

  it('build writes a server bundle that listens on PORT', async () => {
    const child = spawn(process.execPath, [join(dist, 'server.mjs')], { env: { ...process.env, PORT: '0' } })
    try {
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          const m = /listening on (http:\/\/\S+)/.exec(chunk.toString())
          if (m?.[1]) resolve(m[1])
        })
        child.once('exit', (code) => reject(new Error(`server exited with ${code}`)))
      })
      expect(await (await fetch(`${url}/ada`)).json()).toEqual({ message: 'Hello, ada!' })
    } finally {
      child.kill()
    }
  })

  it('build writes lambda.zip with index.mjs at the root and the native addon it imports', () => {
    const listing = readZip(readFileSync(join(dist, 'lambda.zip'))).map((e) => e.path)
    expect(listing[0]).toBe('index.mjs')
    expect(listing).toContain('node_modules/better-sqlite3/build/Release/better_sqlite3.node')
    expect(listing).toContain('node_modules/better-sqlite3/package.json')
    expect(listing).toContain('node_modules/bindings/bindings.js')
    // Sources and install-time helpers stay out.
    expect(listing.some((p) => p.startsWith('node_modules/better-sqlite3/deps/'))).toBe(false)
    expect(listing.some((p) => p.startsWith('node_modules/prebuild-install/'))).toBe(false)
    expect([...listing].sort()).toEqual(listing)
  })

  // better-sqlite3 is compiled for the Node that installed it; under another Node (CI's Node 24
  // run) its addon cannot load in the zip either, so only the Node that built it runs this.
  it.skipIf(!nativeAddonLoads())('build writes a zip that runs on its own, native addon included', () => {
    const unpacked = join(out.dir, 'unzipped')
    execFileSync('unzip', ['-q', join(dist, 'lambda.zip'), '-d', unpacked])
    const answer = evalModule(
      join(unpacked, 'index.mjs'),
      `console.log(JSON.stringify([await m.handler({ op: 'greet', input: { name: 'zip' } }), await m.handler({ op: 'sqlite' })]))`,
    )
    expect(JSON.parse(answer)).toEqual([{ message: 'Hello, zip!' }, { answer: 42 }])
  })

  it('build writes the same lambda.zip bytes twice', async () => {
    const hash = () =>
      createHash('sha256')
        .update(readFileSync(join(dist, 'lambda.zip')))
        .digest('hex')
    const first = hash()
    await build('plain', { only: ['lambda'] })
    expect(hash()).toBe(first)
  })

  it('build --sourcemap writes linked maps, into the zip too', async () => {
    await build('plain', { sourcemap: true, only: ['cli', 'lambda'], outDir: join(out.dir, 'maps') })
    const cli = readFileSync(join(out.dir, 'maps', 'cli.mjs'), 'utf8')
    expect(cli).toMatch(/\/\/# sourceMappingURL=cli\.mjs\.map\n$/)
    const map = JSON.parse(readFileSync(join(out.dir, 'maps', 'cli.mjs.map'), 'utf8')) as {
      sources: string[]
    }
    expect(map.sources.some((s) => s.endsWith('src/core/app.ts'))).toBe(true)
    expect(readZip(readFileSync(join(out.dir, 'maps', 'lambda.zip'))).map((e) => e.path)).toContain(
      'index.mjs.map',
    )
    expect(existsSync(join(out.dir, 'maps', 'server.mjs'))).toBe(false)
  })
})

describe('manifold build rules', () => {
  it('build fails over a size budget and writes nothing', async () => {
    const config = await readConfig(fixture('plain'))
    const outDir = join(out.dir, 'budget')
    const error = await runBuild(
      { ...config, outDir, budgets: { lambda: { raw: 10_000 }, cli: { gzip: 1000 } } },
      { conditions: ['source'] },
    ).catch((e: unknown) => e)
    expect(isManifoldError(error) && error.code).toBe('invalid_input')
    expect((error as Error).message).toMatch(
      /The "cli" bundle is [\d.]+ KB gzipped, over its budget of 1000 B/,
    )
    expect((error as Error).message).toMatch(/The "lambda" bundle is [\d.]+ KB, over its budget of 9.8 KB/)
    expect(existsSync(outDir)).toBe(false)
  })

  it('build fails when an entry pulls in another surface, naming the entry and the code', async () => {
    const error = await build('mixed').catch((e: unknown) => e)
    expect(isManifoldError(error) && error.code).toBe('invalid_input')
    const message = (error as Error).message
    expect(message).toContain(
      'The "cli" bundle contains the HTTP server (manifold/http serve, node:http): "node:http"',
    )
    expect(message).toMatch(
      /The "server" bundle contains the CLI parser \(manifold\/cli\): ".*manifold\/src\/cli\//,
    )
    expect(message).toMatch(
      /The "lambda" bundle contains MCP code .*node_modules\/@modelcontextprotocol\/server\//,
    )
    expect(existsSync(join(out.dir, 'mixed'))).toBe(false)
  })

  it('build names the entry that does not bundle', async () => {
    const config = await readConfig(fixture('plain'))
    const error = await runBuild({
      ...config,
      entries: { cli: join(config.root, 'src/bin/missing.ts') },
    }).catch((e: unknown) => e)
    expect((error as Error).message).toMatch(/Cannot bundle the "cli" entry:\n.*missing\.ts/)
  })
})

describe('manifold build on an app that uses the real adapters', () => {
  const dist = join(out.dir, 'hello')
  beforeAll(async () => {
    await build('hello')
  })

  it('build keeps the CLI parser and MCP out of the Lambda and server bundles', async () => {
    const config = await readConfig(fixture('hello'))
    const { bundles } = await runBuild(
      { ...config, outDir: join(out.dir, 'hello-meta') },
      { conditions: ['source'] },
    )
    const inputs = (kind: string) => Object.keys(bundles.find((b) => b.kind === kind)?.metafile.inputs ?? {})
    expect(inputs('lambda').some((p) => p.includes('manifold/src/lambda/'))).toBe(true)
    expect(inputs('cli').some((p) => p.includes('manifold/src/cli/'))).toBe(true)
    for (const kind of ['lambda', 'server']) {
      expect(inputs(kind).filter((p) => /manifold\/src\/(cli|mcp)\/|@modelcontextprotocol/.test(p))).toEqual(
        [],
      )
    }
  })

  it('build writes a CLI bundle that runs manifold/cli', () => {
    expect(run(join(dist, 'cli.mjs'), ['greet', '--name', 'cli', '--json'])).toBe(
      '{"message":"Hello, cli!"}\n',
    )
  })

  it('build writes a Lambda bundle whose handler answers a direct invocation', () => {
    const answer = evalModule(
      join(dist, 'lambda', 'index.mjs'),
      `console.log(JSON.stringify(await m.handler({ op: 'greet', input: { name: 'lambda' } }, {})))`,
    )
    expect(JSON.parse(answer)).toEqual({ message: 'Hello, lambda!' })
  })
})

function nativeAddonLoads(): boolean {
  try {
    const Database = createRequire(import.meta.url)('better-sqlite3') as new (
      file: string,
    ) => { close(): void }
    new Database(':memory:').close()
    return true
  } catch {
    return false
  }
}
