/**
 * Keeps stdout for protocol messages only while an MCP stdio server runs: `console.log`,
 * `console.info`, `console.debug` and `process.stdout.write` from user code go to stderr.
 * One stray log line on stdout would corrupt the JSON-RPC stream and disconnect the client.
 *
 * @module
 */

/** Writes one chunk to the real stdout, bypassing the guard. */
export type ProtocolWrite = (chunk: string | Uint8Array, callback: (error?: Error | null) => void) => boolean

interface Guard {
  readonly write: ProtocolWrite
  count: number
  readonly restore: () => void
}

let active: Guard | undefined

/** Formats console arguments as `console.log` does (`util.format`). */
export type Format = (...args: unknown[]) => string

function install(format: Format): Guard {
  const stdout = process.stdout
  const stderr = process.stderr
  const original = stdout.write
  const own = Object.getOwnPropertyDescriptor(stdout, 'write')
  const saved = { log: console.log, info: console.info, debug: console.debug }
  // Straight to process.stderr, not through console.error, which test runners and log
  // shippers often replace.
  const toStderr = (...args: unknown[]) => {
    stderr.write(`${format(...args)}\n`)
  }
  console.log = toStderr
  console.info = toStderr
  console.debug = toStderr
  stdout.write = ((...args: Parameters<typeof stderr.write>) => stderr.write(...args)) as typeof stdout.write
  return {
    write: (chunk, callback) => original.call(stdout, chunk, undefined, callback),
    count: 0,
    restore: () => {
      Object.assign(console, saved)
      if (own === undefined) Reflect.deleteProperty(stdout, 'write')
      else Object.defineProperty(stdout, 'write', own)
    },
  }
}

/**
 * Redirects user output from stdout to stderr until `unguard` is called, and gives the
 * writer that still reaches the real stdout (for the protocol transport only). Guards nest:
 * the redirection ends with the last one.
 */
export function guardStdout(format: Format): { readonly write: ProtocolWrite; readonly unguard: () => void } {
  const guard = active ?? install(format)
  active = guard
  guard.count++
  let released = false
  return {
    write: guard.write,
    unguard: () => {
      if (released) return
      released = true
      guard.count--
      if (guard.count === 0) {
        guard.restore()
        if (active === guard) active = undefined
      }
    },
  }
}
