import { spawn } from 'node:child_process'
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The repository root: `--import tsx` resolves from here. */
export const root = fileURLToPath(new URL('../..', import.meta.url))
/** The fixture app's two-line entry file. */
export const entry = fileURLToPath(new URL('./fixture/cli.ts', import.meta.url))
/** Arguments of `node` that run the entry from source. */
export const nodeArgs = ['--import', 'tsx', '--conditions=source', entry]

/** A directory holding an executable `fixture` that runs the entry, for shells and pipes. */
export function binDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'manifold-cli-'))
  const bin = join(dir, 'fixture')
  writeFileSync(bin, `#!/bin/sh\ncd '${root}' && exec '${process.execPath}' ${nodeArgs.join(' ')} "$@"\n`)
  chmodSync(bin, 0o755)
  return dir
}

// Colour settings of the machine running the tests must not leak into the fixture.
const { NO_COLOR: _n, FORCE_COLOR: _f, ...cleanEnv } = process.env

/** What a finished process left. */
export interface Done {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
}

/** Options of {@link runProcess}. */
export interface RunProcessOptions {
  readonly input?: string
  readonly env?: Record<string, string>
  /** Called with the child and its stderr so far, each time stderr grows. */
  readonly onStderr?: (stderr: string, child: ReturnType<typeof spawn>) => void
}

/** Runs a command to completion (60 s at most), collecting its output. */
export function runProcess(
  command: string,
  args: readonly string[],
  options: RunProcessOptions = {},
): Promise<Done> {
  const child = spawn(command, args, {
    cwd: root,
    env: { ...cleanEnv, MANIFOLD_LOG: 'warn', ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString()
  })
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString()
    options.onStderr?.(stderr, child)
  })
  child.stdin.end(options.input ?? '')
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000)
  return new Promise((resolve) => {
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolve({ code, signal, stdout, stderr })
    })
  })
}

/** Runs the fixture CLI as a subprocess. */
export function runFixture(args: readonly string[], options: RunProcessOptions = {}): Promise<Done> {
  return runProcess(process.execPath, [...nodeArgs, ...args], options)
}

const quote = (s: string) => `'${s.replaceAll("'", "'\\''")}'`

/**
 * Runs the fixture CLI under a real pseudo-terminal (`script` from util-linux), typing
 * `keys` into it. The transcript mixes stdout, stderr and the echo of the keys.
 */
export function runInPty(
  args: readonly string[],
  keys = '',
  env: Record<string, string> = {},
): Promise<Done> {
  const command = [process.execPath, ...nodeArgs, ...args].map(quote).join(' ')
  // The terminal buffers the keys until the CLI reads them; `script -e` returns the CLI's code.
  return runProcess('script', ['-qefc', `stty cols 60 2>/dev/null; ${command}`, '/dev/null'], {
    input: keys,
    env: { TERM: 'xterm', ...env },
  })
}
