import { readFileSync } from 'node:fs'
import {
  Conflict,
  createError,
  errorCodes,
  fromProblem,
  isManifoldError,
  ManifoldError,
  NotFound,
  toManifoldError,
  toProblem,
} from 'manifold'
import { describe, expect, it } from 'vitest'

const docs = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8')

function docsTable(): Map<string, { status: number; exitCode: number }> {
  const rows = new Map<string, { status: number; exitCode: number }>()
  for (const line of docs.split('\n')) {
    const m = /^\|\s*`([a-z_]+)`\s*\|\s*(\d+)\s*\|\s*(\d+)\s*\|/.exec(line)
    if (m) rows.set(m[1]!, { status: Number(m[2]), exitCode: Number(m[3]) })
  }
  return rows
}

describe('error table', () => {
  it.each(Object.entries(errorCodes))(
    'code %s has a status, an exit code, a title and a docs entry',
    (code, info) => {
      expect(info.status).toBeGreaterThanOrEqual(400)
      expect(info.status).toBeLessThan(600)
      expect(info.exitCode).toBeGreaterThan(0)
      expect(info.title.length).toBeGreaterThan(0)
      expect(docsTable().get(code)).toEqual({ status: info.status, exitCode: info.exitCode })
      expect(docs).toContain(`id="${code}"`)
    },
  )

  it('docs/errors.md lists exactly the codes of the table', () => {
    expect([...docsTable().keys()].sort()).toEqual(Object.keys(errorCodes).sort())
  })

  it('matches the table in DESIGN.md', () => {
    expect(errorCodes.usage).toMatchObject({ status: 400, exitCode: 64 })
    expect(errorCodes.invalid_input).toMatchObject({ status: 400, exitCode: 65 })
    expect(errorCodes.unauthenticated).toMatchObject({ status: 401, exitCode: 77 })
    expect(errorCodes.permission_denied).toMatchObject({ status: 403, exitCode: 77 })
    expect(errorCodes.not_found).toMatchObject({ status: 404, exitCode: 66 })
    expect(errorCodes.conflict).toMatchObject({ status: 409, exitCode: 65 })
    expect(errorCodes.payload_too_large).toMatchObject({ status: 413, exitCode: 65 })
    expect(errorCodes.unsupported_media_type).toMatchObject({ status: 415, exitCode: 65 })
    expect(errorCodes.rate_limited).toMatchObject({ status: 429, exitCode: 75 })
    expect(errorCodes.cancelled).toMatchObject({ status: 499, exitCode: 130 })
    expect(errorCodes.internal).toMatchObject({ status: 500, exitCode: 70 })
    expect(errorCodes.unavailable).toMatchObject({ status: 503, exitCode: 69 })
    expect(errorCodes.timeout).toMatchObject({ status: 504, exitCode: 75 })
  })
})

describe('ManifoldError', () => {
  it('NotFound.throw() throws a not_found error usable in expressions', () => {
    const find = (id: string): string => (id === 'a' ? 'found' : NotFound.throw(`No note "${id}"`))
    expect(find('a')).toBe('found')
    expect(() => find('b')).toThrowError(
      expect.objectContaining({ code: 'not_found', status: 404, exitCode: 66 }),
    )
  })

  it('createError() builds the class of the code', () => {
    const error = createError('conflict', 'stale')
    expect(error).toBeInstanceOf(Conflict)
    expect(error).toBeInstanceOf(ManifoldError)
    expect(isManifoldError(error)).toBe(true)
  })

  it('rejects an unknown code with a TypeError', () => {
    // @ts-expect-error: not a code
    expect(() => new ManifoldError('nope', 'x')).toThrow(TypeError)
  })

  it('toManifoldError() keeps the cause of an unknown value and calls it internal', () => {
    const cause = new Error('SELECT * FROM secrets')
    const error = toManifoldError(cause)
    expect(error.code).toBe('internal')
    expect(error.message).toBe('Internal error')
    expect(error.cause).toBe(cause)
  })
})

describe('problem details', () => {
  it('toProblem() gives RFC 9457 fields plus code, and never the cause', () => {
    const error = new ManifoldError('invalid_input', 'Invalid input: name: Required', {
      errors: [{ path: 'name', message: 'Required' }],
      hint: 'Pass --name',
      cause: new Error('secret'),
    })
    const problem = toProblem(error, 'req-1')
    expect(problem).toEqual({
      type: 'https://manifold.dev/errors#invalid_input',
      title: 'Invalid input',
      status: 400,
      detail: 'Invalid input: name: Required',
      code: 'invalid_input',
      hint: 'Pass --name',
      errors: [{ path: 'name', message: 'Required' }],
      requestId: 'req-1',
    })
    expect(JSON.stringify(problem)).not.toContain('secret')
  })

  it('fromProblem() round-trips code, message, hint and field errors', () => {
    const original = new Conflict('Version 3 is stale', {
      hint: 'Reload',
      errors: [{ path: 'version', message: 'stale' }],
    })
    const back = fromProblem(JSON.parse(JSON.stringify(toProblem(original))))
    expect(back).toBeInstanceOf(Conflict)
    expect({ code: back.code, message: back.message, hint: back.hint, errors: back.errors }).toEqual({
      code: 'conflict',
      message: 'Version 3 is stale',
      hint: 'Reload',
      errors: [{ path: 'version', message: 'stale' }],
    })
  })
})
