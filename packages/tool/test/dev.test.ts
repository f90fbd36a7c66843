import { type ChildProcess, spawn } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { fixtureCopy, manifoldBin } from './helpers.ts'

const app = fixtureCopy('hello')
let dev: ChildProcess | undefined

afterAll(async () => {
  if (dev?.pid !== undefined && dev.exitCode === null) {
    const exited = new Promise((resolve) => dev?.once('exit', resolve))
    // The whole group: the bin, the tool and the server it runs.
    process.kill(-dev.pid, 'SIGINT')
    await exited
  }
  app.remove()
})

/** Resolves with the next URL the server prints after `from` lines of output. */
function nextUrl(lines: string[], from: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      const found = lines.slice(from).find((l) => /listening on http:\/\//.test(l))
      if (found !== undefined) {
        clearInterval(timer)
        resolve(/(http:\/\/\S+)/.exec(found)?.[1] ?? '')
      }
      if (dev?.exitCode !== null) {
        clearInterval(timer)
        reject(new Error(`manifold dev exited:\n${lines.join('\n')}`))
      }
    }, 50)
  })
}

describe('manifold dev', () => {
  it('manifold dev runs the server entry and restarts it when a source file changes', async () => {
    const lines: string[] = []
    dev = spawn(process.execPath, [manifoldBin, 'dev', '--root', app.dir, '--conditions', 'source'], {
      env: { ...process.env, MANIFOLD_TOOL_SOURCE: '1', PORT: '0' },
      detached: true,
    })
    const collect = (chunk: Buffer) => lines.push(...chunk.toString().split('\n'))
    dev.stdout?.on('data', collect)
    dev.stderr?.on('data', collect)

    const first = await nextUrl(lines, 0)
    expect(await (await fetch(`${first}/greet?name=dev`)).json()).toEqual({ message: 'Hello, dev!' })

    const mark = lines.length
    const source = join(app.dir, 'src/core/app.ts')
    writeFileSync(source, readFileSync(source, 'utf8').replace('Hello, ', 'Howdy, '))
    const second = await nextUrl(lines, mark)
    expect(lines.slice(mark).some((l) => l.includes('Restarting server (changed)'))).toBe(true)
    expect(await (await fetch(`${second}/greet?name=dev`)).json()).toEqual({ message: 'Howdy, dev!' })
  }, 90_000)
})
