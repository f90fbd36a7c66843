/**
 * The access log of `serve()`: one JSON line per request, byte for byte what the app's logger
 * writes for `log.info('request', entry)` with the field `app`, built directly instead of
 * through the logger's generic record merge (about a third of its cost).
 *
 * @module
 */
import type { AccessLogEntry } from './handle.ts'

// Strings without a character JSON.stringify escapes (quote, backslash, control characters,
// lone surrogates) are quoted as they are.
const plain = /^[\x20\x21\x23-\x5b\x5d-\ud7ff\ue000-\uffff]*$/

function quote(text: string): string {
  return plain.test(text) ? `"${text}"` : JSON.stringify(text)
}

/**
 * Creates the access-log function of `serve()`: formats each entry as one JSON line and hands
 * it to `write`. Writes every field of `AccessLogEntry`; `access-log.test.ts` fails (typecheck
 * and run) when the entry gains one this function does not write.
 *
 * @example
 * ```ts
 * import { accessLogWriter } from './access-log.ts'
 * const log = accessLogWriter('notes', (line) => process.stderr.write(`${line}\n`))
 * log({ method: 'GET', path: '/notes/1', status: 200, ms: 0.4, requestId: 'r1' })
 * ```
 */
export function accessLogWriter(
  appName: string,
  write: (line: string) => void,
): (entry: AccessLogEntry) => void {
  const head = `,"msg":"request","app":${JSON.stringify(appName)},"method":`
  // Lines from one millisecond share one timestamp string.
  let lastMs = Number.NaN
  let time = ''
  return (entry) => {
    const now = Date.now()
    if (now !== lastMs) {
      lastMs = now
      time = new Date(now).toISOString()
    }
    let line = `{"level":"info","time":"${time}"${head}${quote(entry.method)},"path":${quote(entry.path)},"status":${entry.status},"ms":${entry.ms},"requestId":${quote(entry.requestId)}`
    if (entry.op !== undefined) line += `,"op":${quote(entry.op)}`
    if (entry.remoteAddress !== undefined) line += `,"remoteAddress":${quote(entry.remoteAddress)}`
    write(`${line}}`)
  }
}
