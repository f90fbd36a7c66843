import { describe, expect, it } from 'vitest'
import { createLogger } from '../log.ts'
import { accessLogWriter } from './access-log.ts'
import type { AccessLogEntry } from './handle.ts'

/** The line the app's logger writes for an entry, as `serve()` wrote it before. */
function loggerLine(entry: AccessLogEntry): string {
  let line = ''
  createLogger({ level: 'info', write: (l) => (line = l), fields: { app: 'notes' } }).info(
    'request',
    entry as unknown as Record<string, unknown>,
  )
  return line
}

function writerLine(entry: AccessLogEntry): string {
  let line = ''
  accessLogWriter('notes', (l) => (line = l))(entry)
  return line
}

const withoutTime = (line: string) => line.replace(/"time":"[^"]*"/, '"time":""')

// Required<>: the typecheck fails here when AccessLogEntry gains a field, so that this table,
// and the writer, learn about it.
const full: Required<AccessLogEntry> = {
  method: 'POST',
  path: '/notes',
  status: 201,
  ms: 0.37,
  requestId: 'req-1',
  op: 'notes.add',
  remoteAddress: '::1',
}

describe('accessLogWriter()', () => {
  const cases: { name: string; entry: AccessLogEntry }[] = [
    { name: 'every field', entry: full },
    {
      name: 'no op and no address',
      entry: { method: 'GET', path: '/nope', status: 404, ms: 12, requestId: 'r' },
    },
    {
      name: 'a path that JSON escapes',
      entry: { ...full, path: '/a"b\\c\u0001\ud800/é' },
    },
    { name: 'a whole number of milliseconds', entry: { ...full, ms: 3 } },
  ]
  it.each(cases)('accessLogWriter() writes the same line as the logger for $name', ({ entry }) => {
    const line = writerLine(entry)
    expect(withoutTime(line)).toBe(withoutTime(loggerLine(entry)))
    expect(JSON.parse(line)).toEqual({
      level: 'info',
      time: expect.any(String),
      msg: 'request',
      app: 'notes',
      ...entry,
    })
  })

  it('accessLogWriter() stamps each line with the current time', () => {
    const before = Date.now()
    const time = Date.parse((JSON.parse(writerLine(full)) as { time: string }).time)
    expect(time).toBeGreaterThanOrEqual(before)
    expect(time).toBeLessThanOrEqual(Date.now())
  })
})
