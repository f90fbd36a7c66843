/**
 * `serve(app, { workers })`: the cluster primary forks workers that share the port
 * (node:cluster), prints the URL and stops them all on SIGTERM.
 *
 * @module
 */
import cluster from 'node:cluster'
import type { AnyApp } from '../app.ts'

/** Forks the workers, waits until one listens, prints the URL; `close()` stops them all. */
export async function servePrimary(
  app: AnyApp,
  workers: number,
  host: string,
  print: false | ((line: string) => void),
): Promise<{ url: string; port: number; close: () => Promise<void> }> {
  const forked = Array.from({ length: workers }, () => cluster.fork())
  const actualPort = await new Promise<number>((resolve, reject) => {
    cluster.once('listening', (_worker, address) => resolve(address.port))
    cluster.once('exit', (worker, code) =>
      reject(new Error(`Worker ${worker.id} exited with code ${code} before listening`)),
    )
  })
  const url = `http://${host}:${actualPort}`
  if (print !== false) print(`${app.name} listening on ${url} (${workers} workers)`)
  let closed: Promise<void> | undefined
  const close = (): Promise<void> => {
    closed ??= Promise.all(
      forked.map(
        (worker) =>
          new Promise<void>((resolve) => {
            if (worker.isDead()) return resolve()
            worker.once('exit', () => resolve())
            worker.process.kill('SIGTERM')
          }),
      ),
    ).then(() => undefined)
    return closed
  }
  return { url, port: actualPort, close }
}

/** Runs `close` on the first SIGTERM or SIGINT, then exits 0. */
export function stopOnSignal(close: () => Promise<void>): void {
  const onSignal = (): void => {
    process.off('SIGTERM', onSignal).off('SIGINT', onSignal)
    void close().then(() => process.exit(0))
  }
  process.once('SIGTERM', onSignal).once('SIGINT', onSignal)
}
