/**
 * A tiny structured logger: one JSON object per line, on stderr by default. Level from
 * `MANIFOLD_LOG` (debug, info, warn, error, silent); default `info`.
 *
 * @module
 */

/** Log levels, lowest first. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent'

const rank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 }

/** A structured logger. */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void
  info(message: string, fields?: Record<string, unknown>): void
  warn(message: string, fields?: Record<string, unknown>): void
  error(message: string, fields?: Record<string, unknown>): void
  /** A logger that adds these fields to every line. */
  child(fields: Record<string, unknown>): Logger
  readonly level: LogLevel
}

/** Options of {@link createLogger}. */
export interface CreateLoggerOptions {
  /** Lowest level written. Defaults to `MANIFOLD_LOG` or `info`. */
  readonly level?: LogLevel | undefined
  /** Where a line goes; defaults to stderr (`console.error`). */
  readonly write?: ((line: string) => void) | undefined
  /** Fields on every line. */
  readonly fields?: Record<string, unknown> | undefined
}

function envLevel(): LogLevel | undefined {
  // The core avoids `node:*`; `globalThis.process` exists on Node, Bun and Deno.
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env
  const value = env?.MANIFOLD_LOG?.toLowerCase()
  return value !== undefined && Object.hasOwn(rank, value) ? (value as LogLevel) : undefined
}

function serializeError(error: unknown): unknown {
  if (!(error instanceof Error)) return error
  const out: Record<string, unknown> = { name: error.name, message: error.message }
  if ('code' in error) out.code = (error as { code: unknown }).code
  if (error.stack !== undefined) out.stack = error.stack
  if (error.cause !== undefined) out.cause = serializeError(error.cause)
  return out
}

/**
 * Creates a logger.
 *
 * @example
 * ```ts
 * import { createLogger } from 'manifold'
 * const log = createLogger({ level: 'debug' })
 * log.info('started', { port: 3000 })
 * ```
 */
export function createLogger(options: CreateLoggerOptions = {}): Logger {
  const level = options.level ?? envLevel() ?? 'info'
  const write = options.write ?? ((line: string) => console.error(line))
  const base = options.fields ?? {}
  const min = rank[level]
  const emit = (lvl: Exclude<LogLevel, 'silent'>, message: string, fields?: Record<string, unknown>) => {
    if (rank[lvl] < min) return
    const record: Record<string, unknown> = {
      level: lvl,
      time: new Date().toISOString(),
      msg: message,
      ...base,
    }
    if (fields !== undefined) {
      for (const [key, value] of Object.entries(fields))
        record[key] = key === 'error' || key === 'err' ? serializeError(value) : value
    }
    let line: string
    try {
      line = JSON.stringify(record)
    } catch {
      line = JSON.stringify({
        level: lvl,
        time: record.time,
        msg: message,
        note: 'fields were not serializable',
      })
    }
    write(line)
  }
  return {
    level,
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (fields) => createLogger({ level, write, fields: { ...base, ...fields } }),
  }
}
