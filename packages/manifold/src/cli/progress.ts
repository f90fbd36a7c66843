/**
 * `ctx.progress` on the command line: a bar with rate and ETA when stderr is a terminal,
 * plain lines when it is not, nothing with `--quiet`.
 *
 * @module
 */
import type { Paint } from './color.ts'

/** Receives progress reports of one call. */
export type ProgressSink = (done: number, total: number | undefined, message: string | undefined) => void

function duration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--'
  const s = Math.round(seconds)
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`
}

function rateText(rate: number): string {
  return rate >= 10 ? `${Math.round(rate)}/s` : `${rate.toFixed(1)}/s`
}

/** A bar redrawn in place on a terminal; `finish()` clears it before the result is written. */
export function barSink(
  write: (text: string) => void,
  columns: number,
  c: Paint,
  now: () => number = Date.now,
): { report: ProgressSink; finish: () => void } {
  const start = now()
  let drawn = false
  let last = 0
  const report: ProgressSink = (done, total, message) => {
    const t = now()
    const finished = total !== undefined && done >= total
    if (drawn && !finished && t - last < 50) return
    last = t
    const elapsed = Math.max((t - start) / 1000, 0.001)
    const rate = done / elapsed
    let line: string
    if (total !== undefined && total > 0) {
      const ratio = Math.min(1, done / total)
      const eta = rate > 0 ? (total - done) / rate : Number.NaN
      const info = ` ${Math.floor(ratio * 100)}% ${done}/${total} ${rateText(rate)} ETA ${duration(eta)}${message ? ` ${message}` : ''}`
      const width = Math.max(10, Math.min(40, columns - info.length - 3))
      const full = Math.round(ratio * width)
      line = `[${c.cyan('█'.repeat(full))}${c.dim('░'.repeat(width - full))}]${info}`
    } else {
      line = `${done} ${rateText(rate)}${message ? ` ${message}` : ''}`
    }
    write(`\r\x1b[2K${line}`)
    drawn = true
  }
  return {
    report,
    finish: () => {
      if (drawn) write('\r\x1b[2K')
      drawn = false
    },
  }
}

/** Plain lines for logs and pipes: `progress 3/10 (30%) message`. */
export function lineSink(write: (text: string) => void): ProgressSink {
  return (done, total, message) => {
    const of =
      total === undefined
        ? `${done}`
        : `${done}/${total} (${total > 0 ? Math.floor((done / total) * 100) : 100}%)`
    write(`progress ${of}${message ? ` ${message}` : ''}\n`)
  }
}
