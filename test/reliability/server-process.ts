/** Starts a server entry in a child process on a free port and reads its URL back. */
import { type ChildProcess, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

/** The repository root: `--import tsx` resolves from here. */
export const root = fileURLToPath(new URL('../..', import.meta.url))

export interface ServerProcess {
  readonly url: string
  readonly port: number
  readonly child: ChildProcess
  /** Everything the process wrote so far. */
  output(): { stdout: string; stderr: string }
  /** Resolves with the exit code (or signal) once the process ends. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  /** Kills the process if it still runs and waits for it. */
  stop(): Promise<void>
}

/** Runs `entry` (a TypeScript file) with `node --import tsx --conditions=source` and waits for its URL. */
export async function startServer(entry: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=source', entry], {
    cwd: root,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', MANIFOLD_LOG: 'error', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d))
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d))
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  )
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`No URL after 20 s; stderr: ${stderr}`)), 20_000)
    const look = () => {
      const match = /listening on (http:\/\/\S+)/.exec(stdout)
      if (match?.[1] !== undefined) {
        clearTimeout(timer)
        resolve(match[1])
      }
    }
    child.stdout?.on('data', look)
    void exited.then(() => reject(new Error(`Exited before listening; stderr: ${stderr}`)))
  })
  return {
    url,
    port: Number(new URL(url).port),
    child,
    output: () => ({ stdout, stderr }),
    exited,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
      await exited
    },
  }
}
