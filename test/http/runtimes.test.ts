import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { fetchHandler } from 'manifold/http'
import { afterAll, describe, expect, it } from 'vitest'
import { type FetchReply, fetchCases, mismatches } from './fetch-cases.ts'
import { fixture } from './fixture.ts'

const root = fileURLToPath(new URL('../..', import.meta.url))
const script = fileURLToPath(new URL('./runtime-server.ts', import.meta.url))
const bin = (name: string) => fileURLToPath(new URL(`../../node_modules/.bin/${name}`, import.meta.url))

async function reply(response: Response): Promise<FetchReply> {
  return { status: response.status, headers: response.headers, text: await response.text() }
}

describe('fetchHandler() in process on Node', () => {
  const handler = fetchHandler(fixture, { accessLog: false, bodyLimit: 4096 })
  it.each(fetchCases)('fetchHandler() answers $name', async (c) => {
    const response = await handler(new Request(`http://localhost${c.path}`, c.init))
    expect(mismatches(c, await reply(response))).toEqual([])
  })
})

const children: ChildProcess[] = []
afterAll(() => {
  for (const child of children) child.kill('SIGKILL')
})

function start(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    })
    children.push(child)
    let out = ''
    let err = ''
    const timer = setTimeout(
      () => reject(new Error(`${command} did not print a URL in 30 s: ${err}`)),
      30_000,
    )
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      const m = /http:\/\/127\.0\.0\.1:\d+/.exec(out)
      if (m !== null) {
        clearTimeout(timer)
        resolve(m[0])
      }
    })
    child.stderr?.on('data', (chunk: Buffer) => {
      err += chunk.toString()
    })
    child.on('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`${command} exited with ${code}: ${err}`))
    })
  })
}

const runtimes = [
  { name: 'Bun', bin: bin('bun'), args: ['--conditions=source', script] },
  {
    name: 'Deno',
    bin: bin('deno'),
    args: ['run', '--quiet', '--allow-net', '--allow-read', '--allow-env', '--conditions=source', script],
  },
]

for (const runtime of runtimes) {
  const present = existsSync(runtime.bin)
  describe.skipIf(!present)(`fetchHandler() under ${runtime.name} over a real socket`, () => {
    let base: Promise<string> | undefined
    const url = () => {
      base ??= start(runtime.bin, runtime.args)
      return base
    }
    it.each(fetchCases)(`fetchHandler() under ${runtime.name} answers $name`, async (c) => {
      const response = await fetch((await url()) + c.path, c.init)
      expect(mismatches(c, await reply(response))).toEqual([])
    })
  })
}
