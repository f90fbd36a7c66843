/** Starts the bundled notes server as a real process on a free port, and stops it. */
import { type ChildProcess, spawn } from 'node:child_process'

export interface ServerProcess {
  readonly url: string
  readonly child: ChildProcess
  /** SIGTERM (graceful) or SIGKILL, then waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<void>
}

/** Runs `server` (a bundled server.mjs) with `env`; resolves once it prints its URL. */
export function startServer(server: string, env: Record<string, string>): Promise<ServerProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [server], {
      env: { ...process.env, MANIFOLD_LOG: 'warn', HOST: '127.0.0.1', PORT: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    let err = ''
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`The server did not start in 20 s: ${out}${err}`))
    }, 20_000)
    child.stderr?.setEncoding('utf8').on('data', (c: string) => {
      err = (err + c).slice(-4000)
    })
    child.stdout?.setEncoding('utf8').on('data', (c: string) => {
      out += c
      const match = /listening on (http:\/\/\S+)/.exec(out)
      if (match === null) return
      clearTimeout(timer)
      const exited = new Promise<void>((r) => {
        if (child.exitCode !== null || child.signalCode !== null) r()
        else child.once('exit', () => r())
      })
      resolve({
        url: match[1]!,
        child,
        stop: async (signal = 'SIGTERM') => {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal)
          await exited
        },
      })
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`The server exited with ${code} before listening: ${err}`))
    })
  })
}
