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
  return new JsonLogger(level, write, options.fields ?? {}, undefined)
}

// Lines written in the same millisecond share one timestamp string.
let stampedMs = Number.NaN
let stamp = ''

function now(): string {
  const ms = Date.now()
  if (ms !== stampedMs) {
    stampedMs = ms
    stamp = new Date(ms).toISOString()
  }
  return stamp
}

// Keys a line's fields cannot take over in place: the record's own, and integer-like keys (an
// object lists those first, so the generic path would move them in front of `level`).
const reserved = new Set(['level', 'time', 'msg'])
const isIndexLike = (key: string): boolean => {
  const c = key.charCodeAt(0)
  return c >= 48 && c <= 57
}

// A class, not closures: `invoke` makes a child logger per call, and on the HTTP hot path a
// child must cost one small object. Fields merge only when a line is actually written, and the
// fixed fields (`base`, `extra`) are serialized once per logger, on its first line.
class JsonLogger implements Logger {
  readonly level: LogLevel
  readonly #min: number
  readonly #write: (line: string) => void
  readonly #base: Record<string, unknown>
  readonly #extra: Record<string, unknown> | undefined
  // `,"app":"notes",…` of the fixed fields, and their keys; null when only the generic path
  // gives the right bytes (a fixed field named like a record key, or not serializable).
  #fixed: { readonly json: string; readonly keys: ReadonlySet<string> } | null | undefined

  constructor(
    level: LogLevel,
    write: (line: string) => void,
    base: Record<string, unknown>,
    extra: Record<string, unknown> | undefined,
  ) {
    this.level = level
    this.#min = rank[level]
    this.#write = write
    this.#base = base
    this.#extra = extra
  }

  debug(message: string, fields?: Record<string, unknown>): void {
    if (rank.debug >= this.#min) this.#emit('debug', message, fields)
  }
  info(message: string, fields?: Record<string, unknown>): void {
    if (rank.info >= this.#min) this.#emit('info', message, fields)
  }
  warn(message: string, fields?: Record<string, unknown>): void {
    if (rank.warn >= this.#min) this.#emit('warn', message, fields)
  }
  error(message: string, fields?: Record<string, unknown>): void {
    if (rank.error >= this.#min) this.#emit('error', message, fields)
  }

  child(fields: Record<string, unknown>): Logger {
    const extra = this.#extra === undefined ? fields : { ...this.#extra, ...fields }
    return new JsonLogger(this.level, this.#write, this.#base, extra)
  }

  #fixedFields(): { readonly json: string; readonly keys: ReadonlySet<string> } | null {
    if (this.#fixed !== undefined) return this.#fixed
    const merged = { ...this.#base, ...this.#extra }
    const keys = new Set(Object.keys(merged))
    let fixed: { json: string; keys: ReadonlySet<string> } | null = null
    if (![...keys].some((k) => reserved.has(k) || isIndexLike(k))) {
      try {
        const json = JSON.stringify(merged).slice(1, -1)
        fixed = { json: json === '' ? '' : `,${json}`, keys }
      } catch {
        fixed = null
      }
    }
    this.#fixed = fixed
    return fixed
  }

  #emit(lvl: Exclude<LogLevel, 'silent'>, message: string, fields?: Record<string, unknown>): void {
    const time = now()
    const fixed = this.#fixedFields()
    let line: string | undefined
    if (fixed !== null && fields !== undefined) {
      // The line's own fields are serialized as one object behind the fixed ones, unless one
      // needs the generic path (an error to serialize, or a key that takes over another's place).
      let plain = true
      for (const key in fields) {
        if (
          key === 'error' ||
          key === 'err' ||
          reserved.has(key) ||
          isIndexLike(key) ||
          fixed.keys.has(key)
        ) {
          plain = false
          break
        }
      }
      if (plain) {
        try {
          const own = JSON.stringify(fields)
          line = `{"level":"${lvl}","time":"${time}","msg":${JSON.stringify(message)}${fixed.json}${own.length > 2 ? `,${own.slice(1)}` : '}'}`
        } catch {
          line = undefined
        }
      }
    } else if (fixed !== null) {
      line = `{"level":"${lvl}","time":"${time}","msg":${JSON.stringify(message)}${fixed.json}}`
    }
    this.#write(line ?? this.#generic(lvl, time, message, fields))
  }

  #generic(
    lvl: Exclude<LogLevel, 'silent'>,
    time: string,
    message: string,
    fields: Record<string, unknown> | undefined,
  ): string {
    const record: Record<string, unknown> = {
      level: lvl,
      time,
      msg: message,
      ...this.#base,
      ...this.#extra,
    }
    if (fields !== undefined) {
      for (const [key, value] of Object.entries(fields))
        record[key] = key === 'error' || key === 'err' ? serializeError(value) : value
    }
    try {
      return JSON.stringify(record)
    } catch {
      return JSON.stringify({ level: lvl, time, msg: message, note: 'fields were not serializable' })
    }
  }
}

/**
 * The logger of one call: `base.child({ requestId, op, surface })`, made when the call first
 * logs. Most calls never log, and a child costs an object or two with manifold's logger (and
 * far more with some others); this is one small object with no getters (an object with
 * getters made warm calls about 3x slower on Node 20).
 */
class CallLogger implements Logger {
  readonly level: LogLevel
  readonly #base: Logger
  readonly #requestId: string
  readonly #op: string
  readonly #surface: string
  #child: Logger | undefined

  constructor(base: Logger, requestId: string, op: string, surface: string) {
    this.level = base.level
    this.#base = base
    this.#requestId = requestId
    this.#op = op
    this.#surface = surface
  }

  #log(): Logger {
    this.#child ??= this.#base.child({ requestId: this.#requestId, op: this.#op, surface: this.#surface })
    return this.#child
  }

  debug(message: string, fields?: Record<string, unknown>): void {
    this.#log().debug(message, fields)
  }
  info(message: string, fields?: Record<string, unknown>): void {
    this.#log().info(message, fields)
  }
  warn(message: string, fields?: Record<string, unknown>): void {
    this.#log().warn(message, fields)
  }
  error(message: string, fields?: Record<string, unknown>): void {
    this.#log().error(message, fields)
  }
  child(fields: Record<string, unknown>): Logger {
    return this.#log().child(fields)
  }
}

/** The logger of one call, bound to its request id, operation and surface on first use. */
export function callLogger(base: Logger, requestId: string, op: string, surface: string): Logger {
  return new CallLogger(base, requestId, op, surface)
}
