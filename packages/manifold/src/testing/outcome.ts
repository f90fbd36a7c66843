/**
 * What one call gave on one surface, reduced to what must agree everywhere: the result's
 * canonical bytes, or the error's problem details.
 *
 * @module
 */
import { errorCodes, type Problem, toJson } from '../index.ts'

/** The part of a problem every surface must agree on (no `requestId`). */
export type ProblemShape = Omit<Problem, 'requestId' | 'type'>

/** The outcome of one call on one surface. */
export type Outcome =
  | {
      readonly ok: true
      /** `toJson(value)`; for a stream, one `toJson(item)` line per item; `''` for no result. */
      readonly body: string
      /** Where this surface broke its own mapping (a wrong status or exit code). */
      readonly violations: readonly string[]
    }
  | {
      readonly ok: false
      readonly problem: ProblemShape
      readonly violations: readonly string[]
    }

/** A success outcome from a value (or the items of a stream). */
export function success(value: unknown, stream: boolean, violations: string[] = []): Outcome {
  const body = stream ? (value as unknown[]).map((item) => toJson(item)).join('') : toJson(value)
  return { ok: true, body, violations }
}

/** A failure outcome from problem details received on the wire (or built in process). */
export function failure(problem: unknown, violations: string[] = []): Outcome {
  const p = (typeof problem === 'object' && problem !== null ? problem : {}) as Record<string, unknown>
  const shape: Record<string, unknown> = {
    title: p.title,
    status: p.status,
    detail: p.detail,
    code: p.code,
  }
  if (p.hint !== undefined) shape.hint = p.hint
  if (Array.isArray(p.errors) && p.errors.length > 0) shape.errors = p.errors
  if (typeof p.code !== 'string' || !Object.hasOwn(errorCodes, p.code)) {
    violations.push(`the error is not a manifold problem: ${JSON.stringify(problem)}`)
  }
  return { ok: false, problem: shape as unknown as ProblemShape, violations }
}

/** The first line of a problem's JSON on stderr (the CLI writes the problem as its last line). */
export function lastJsonLine(text: string): unknown {
  const lines = text.trim().split('\n').reverse()
  for (const line of lines) {
    try {
      return JSON.parse(line)
    } catch {
      // not JSON: a log line; keep looking
    }
  }
  return undefined
}

/** Applies a case's normalizer to a success body (each NDJSON line or the single document). */
export function normalizeBody(body: string, stream: boolean, normalize: (value: unknown) => unknown): string {
  if (body === '') return body
  if (stream) {
    return body
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => toJson(normalize(JSON.parse(l))))
      .join('')
  }
  return toJson(normalize(JSON.parse(body)))
}
