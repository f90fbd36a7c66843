/**
 * What every reliability test checks of an answer: a success, or a well-formed problem whose
 * status or exit code comes from the core's table; nothing internal in it; `Object.prototype`
 * as it was.
 */
import { type ErrorCode, errorCodes, isErrorCode, problemContentType } from 'manifold'
import { expect } from 'vitest'
import { secrets } from './fixture/app.ts'

/** HTTP statuses of success. */
export const successStatuses: ReadonlySet<number> = new Set([200, 201, 204])

/**
 * Statuses docs/http.md gives outside the table, each with the code its body carries: 405 (usage)
 * for a method a route does not take, 408 (timeout) and 431 (payload_too_large) from node:http.
 */
export const documentedStatuses: Readonly<Record<number, ErrorCode>> = {
  405: 'usage',
  408: 'timeout',
  431: 'payload_too_large',
}

/** Exit codes of the table, plus 0. */
export const exitCodes: ReadonlySet<number> = new Set([
  0,
  ...Object.values(errorCodes).map((i) => i.exitCode),
])

/** Text that must never reach a caller: a stack frame, a file path, SQL, a cause. */
const leaks: readonly RegExp[] = [
  /\bat .+:\d+:\d+/,
  /node_modules|\/srv\/|\/work\/|file:\/\//,
  /\bSELECT\b.+\bFROM\b/i,
  /hunter2|10\.0\.0\.7/,
]

/** Fails when the text shows anything internal. */
export function expectNoLeak(text: string): void {
  for (const pattern of leaks) expect(text, `leaks ${pattern}`).not.toMatch(pattern)
  for (const value of Object.values(secrets)) expect(text).not.toContain(value)
}

/** A parsed problem body, checked field by field. */
export function expectProblem(value: unknown, status?: number): { code: ErrorCode; status: number } {
  expect(value).toBeTypeOf('object')
  const problem = value as Record<string, unknown>
  expect(isErrorCode(problem.code), `code ${String(problem.code)}`).toBe(true)
  const code = problem.code as ErrorCode
  expect(problem.type).toBe(`https://manifold.dev/errors#${code}`)
  expect(problem.title).toBe(errorCodes[code].title)
  expect(typeof problem.detail).toBe('string')
  const expected = status === undefined ? errorCodes[code].status : status
  const documented = documentedStatuses[expected]
  if (documented !== undefined) expect(code).toBe(documented)
  else expect(problem.status).toBe(errorCodes[code].status)
  expect(problem.status).toBe(expected)
  return { code, status: expected }
}

/** Statuses an HTTP answer may carry: success, the table, and the documented extras. */
export const httpStatuses: ReadonlySet<number> = new Set([
  ...successStatuses,
  ...Object.values(errorCodes).map((i) => i.status),
  ...Object.keys(documentedStatuses).map(Number),
])

/** Checks one HTTP answer: a success status, or problem+json with a status of the table. */
export function expectHttpAnswer(
  status: number,
  contentType: string | null | undefined,
  body: string | undefined,
): void {
  expect(httpStatuses.has(status), `status ${status}`).toBe(true)
  // A HEAD answer has no body to read.
  if (successStatuses.has(status) || body === undefined) return
  expect(contentType ?? '', `content-type of ${status} ${body.slice(0, 200)}`).toContain(problemContentType)
  const { code } = expectProblem(JSON.parse(body), status)
  // Other problems may quote the caller's own input back; an internal one quotes nothing.
  if (code === 'internal') expectNoLeak(body)
}

/** A fingerprint of `Object.prototype` (and friends) to compare before and after. */
export function prototypeFingerprint(): string {
  const describe = (target: object) =>
    Reflect.ownKeys(target)
      .map((key) => {
        const d = Object.getOwnPropertyDescriptor(target, key)
        return `${String(key)}:${typeof d?.value}:${typeof d?.get}`
      })
      .join(',')
  return [Object.prototype, Array.prototype, Function.prototype, String.prototype].map(describe).join('|')
}

/** Fails when an input changed a prototype, or an empty object reads an injected key. */
export function expectPrototypesIntact(before: string): void {
  expect(prototypeFingerprint()).toBe(before)
  const probe = {} as Record<string, unknown>
  for (const key of ['polluted', 'isAdmin', 'x', 'admin', 'toString2']) expect(probe[key]).toBeUndefined()
}
