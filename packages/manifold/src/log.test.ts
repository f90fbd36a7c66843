import { describe, expect, it } from 'vitest'
import { createLogger } from './log.ts'

/** The line as the logger always wrote it: one record, fixed fields merged, then the line's own. */
function reference(
  level: string,
  message: string,
  base: Record<string, unknown>,
  extra: Record<string, unknown> | undefined,
  fields: Record<string, unknown> | undefined,
): string {
  const record: Record<string, unknown> = { level, time: '', msg: message, ...base, ...extra }
  for (const [key, value] of Object.entries(fields ?? {}))
    record[key] =
      (key === 'error' || key === 'err') && value instanceof Error
        ? { name: value.name, message: value.message, ...(value.stack ? { stack: value.stack } : {}) }
        : value
  try {
    return JSON.stringify(record)
  } catch {
    return JSON.stringify({ level, time: '', msg: message, note: 'fields were not serializable' })
  }
}

const withoutTime = (line: string) => line.replace(/"time":"[^"]*"/, '"time":""')

describe('createLogger() lines', () => {
  const circular: Record<string, unknown> = {}
  circular.self = circular
  const cases: {
    name: string
    base?: Record<string, unknown>
    extra?: Record<string, unknown>
    fields?: Record<string, unknown>
    message?: string
  }[] = [
    { name: 'no fields at all' },
    { name: 'fixed fields only', base: { app: 'notes' } },
    {
      name: 'an access-log entry',
      base: { app: 'notes' },
      fields: { method: 'POST', path: '/notes', status: 201, ms: 0.37, requestId: 'r1', op: 'add' },
    },
    {
      name: 'child fields and line fields',
      base: { app: 'a' },
      extra: { requestId: 'r', op: 'o' },
      fields: { n: 1 },
    },
    {
      name: 'a line field that replaces a fixed one in place',
      base: { app: 'a', op: 'x' },
      fields: { op: 'y', n: 2 },
    },
    { name: 'a line field named like a record key', fields: { msg: 'other', level: 'x' } },
    { name: 'integer-like keys', base: { app: 'a' }, fields: { b: 1, 2: 'two', 10: 'ten' } },
    { name: 'a fixed integer-like key', base: { 7: 'seven' }, fields: { n: 1 } },
    { name: 'undefined values', base: { app: 'a' }, fields: { gone: undefined, kept: null } },
    { name: 'text JSON escapes', message: 'say "hi"\n\u0001', fields: { path: '/a"b\\c\ud800/é' } },
    { name: 'nested values', fields: { list: [1, { a: 'b' }], when: new Date(0) } },
    { name: 'a value that cannot be serialized', base: { app: 'a' }, fields: { loop: circular } },
    { name: 'a fixed value that cannot be serialized', base: { big: 1n }, fields: { n: 1 } },
    { name: 'an empty object of fields', base: { app: 'a' }, fields: {} },
  ]
  it.each(cases)('createLogger() writes the same bytes as one merged record for $name', (c) => {
    let line = ''
    let log = createLogger({ level: 'info', write: (l) => (line = l), fields: c.base ?? {} })
    if (c.extra !== undefined) log = log.child(c.extra)
    log.info(c.message ?? 'hello', c.fields)
    expect(withoutTime(line)).toBe(
      withoutTime(reference('info', c.message ?? 'hello', c.base ?? {}, c.extra, c.fields)),
    )
  })

  it('createLogger() serializes an error field with its name, message and cause', () => {
    let line = ''
    const log = createLogger({ level: 'info', write: (l) => (line = l), fields: { app: 'a' } })
    log.error('failed', { error: new Error('outer', { cause: new TypeError('inner') }), n: 1 })
    const record = JSON.parse(line) as { error: { message: string; cause: { name: string } }; n: number }
    expect(record.error.message).toBe('outer')
    expect(record.error.cause.name).toBe('TypeError')
    expect(record.n).toBe(1)
  })

  it('createLogger() stamps each line with the current time', () => {
    let line = ''
    const log = createLogger({ level: 'info', write: (l) => (line = l) })
    const before = Date.now()
    log.info('now')
    const time = Date.parse((JSON.parse(line) as { time: string }).time)
    expect(time).toBeGreaterThanOrEqual(before)
    expect(time).toBeLessThanOrEqual(Date.now())
  })
})
