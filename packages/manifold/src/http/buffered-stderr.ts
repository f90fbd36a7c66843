/**
 * A stderr writer that batches lines and writes them once per event-loop turn: the access
 * log costs one write per turn instead of one per request.
 *
 * @module
 */

/** Creates the writer; call `flush()` before the process exits. */
export function bufferedStderr(): { write: (line: string) => void; flush: () => void } {
  let pending = ''
  let scheduled = false
  const flush = (): void => {
    scheduled = false
    if (pending === '') return
    const out = pending
    pending = ''
    process.stderr.write(out)
  }
  return {
    write(line) {
      pending += `${line}\n`
      if (!scheduled) {
        scheduled = true
        setImmediate(flush)
      }
    },
    flush,
  }
}
