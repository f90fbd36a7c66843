/**
 * `manifold dev`: runs the server entry and restarts it whenever one of its inputs changes.
 *
 * @module
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { op, UsageError } from 'manifold'
import * as z from 'zod'
import { watchEntries } from '../build/watch.ts'
import { readConfig } from '../config.ts'
import { note } from '../io.ts'
import { projectFields } from './shared.ts'

function stop(child: ChildProcess | undefined): Promise<void> {
  if (child === undefined || child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000)
    child.once('exit', () => {
      clearTimeout(timer)
      resolve()
    })
    child.kill('SIGTERM')
  })
}

/**
 * `manifold dev` as an operation (run it through `invoke` in tests).
 *
 * @example
 * ```sh
 * PORT=8080 manifold dev
 * ```
 */
export const dev = op({
  name: 'dev',
  description: 'Run the server entry and restart it on change',
  input: z.object({
    ...projectFields,
    entry: z.enum(['server', 'mcp', 'cli']).default('server').describe('Which entry to run'),
  }),
  cli: { examples: ['dev', 'PORT=8080 manifold dev'] },
  handler: async (input, ctx) => {
    const config = await readConfig(input.root)
    if (config.entries[input.entry] === undefined) {
      throw new UsageError(`The config has no "${input.entry}" entry to run`, {
        hint: `Add "${input.entry}": "src/bin/${input.entry}.ts" to the "manifold" field of package.json`,
      })
    }
    // Inside the project's node_modules, so the bundle's external packages resolve as in dist/.
    const dir = join(config.root, 'node_modules', '.cache', 'manifold', 'dev')
    await mkdir(dir, { recursive: true })
    const file = join(dir, `${input.entry}.mjs`)
    let child: ChildProcess | undefined
    let starts = 0
    await watchEntries(config, [input.entry], {
      sourcemap: true,
      minify: false,
      conditions: input.conditions,
      signal: ctx.signal,
      onBundle: async (bundle) => {
        await stop(child)
        await writeFile(file, bundle.code)
        if (bundle.map !== undefined) await writeFile(`${file}.map`, bundle.map)
        note(starts++ === 0 ? `Starting ${input.entry}` : `Restarting ${input.entry} (changed)`)
        child = spawn(process.execPath, ['--enable-source-maps', file], {
          stdio: 'inherit',
          cwd: config.root,
        })
      },
      onError: (kind, message) =>
        note(`The "${kind}" entry failed to build; still running the last good one:\n${message}`),
    })
    await stop(child)
  },
})
