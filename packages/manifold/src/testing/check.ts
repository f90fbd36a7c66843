/**
 * `checkAcrossSurfaces`: one table of cases, each run on every surface, each asserting the
 * same result bytes or the same mapped error everywhere.
 *
 * @module
 */
import type { ErrorCode } from '../errors.ts'
import { normalizeBody, type Outcome } from './outcome.ts'
import type { SurfaceName, Surfaces } from './surfaces.ts'

/** One row of the table. */
export interface SurfaceCase {
  /** Test name, a sentence. */
  readonly name: string
  /** Operation to call. */
  readonly op: string
  /**
   * Raw input, as a client would send it. A function builds it just before the call on each
   * surface, e.g. to create the note that surface will update.
   */
  readonly input?: unknown
  /** Bearer token for this call. */
  readonly token?: string
  /** What every surface must give: an error code, or exact bytes (after `normalize`). */
  readonly expect?: { readonly code: ErrorCode } | { readonly body: string } | { readonly ok: true }
  /**
   * Rewrites each result value before comparing, for fields that differ by design when every
   * surface writes (ids, times). Read-only cases should not need it.
   */
  readonly normalize?: (value: unknown) => unknown
  /** Also compare `detail`, `hint` and field errors of failures, not just the code and status. */
  readonly strictErrors?: boolean
  /** Surfaces that cannot express this case, with the reason in a comment beside it. */
  readonly skip?: readonly SurfaceName[]
}

/** What {@link checkCase} found. */
export interface CaseReport {
  readonly outcomes: ReadonlyMap<SurfaceName, Outcome>
  /** Empty when every surface agreed with the first and with `expect`. */
  readonly problems: readonly string[]
}

function key(
  outcome: Outcome,
  strict: boolean,
  normalize: SurfaceCase['normalize'],
  stream: boolean,
): string {
  if (outcome.ok)
    return `ok ${normalize === undefined ? outcome.body : normalizeBody(outcome.body, stream, normalize)}`
  const p = outcome.problem
  return strict
    ? `error ${JSON.stringify({ code: p.code, status: p.status, detail: p.detail, hint: p.hint, errors: p.errors })}`
    : `error ${p.code} ${p.status}`
}

/**
 * Runs one case on every surface and lists every disagreement.
 *
 * @example
 * ```ts
 * const report = await checkCase(all, { name: 'get of a missing note', op: 'get', input: { id: 999 }, expect: { code: 'not_found' } })
 * report.problems // []
 * ```
 */
export async function checkCase(all: Surfaces, testCase: SurfaceCase, stream = false): Promise<CaseReport> {
  const outcomes = await all.call(testCase.op, testCase.input, {
    ...(testCase.token === undefined ? {} : { token: testCase.token }),
    ...(testCase.skip === undefined ? {} : { skip: testCase.skip }),
  })
  const problems: string[] = []
  let reference: [SurfaceName, string] | undefined
  for (const [surface, outcome] of outcomes) {
    for (const v of outcome.violations) problems.push(`${surface}: ${v}`)
    const k = key(outcome, testCase.strictErrors === true, testCase.normalize, stream)
    if (reference === undefined) reference = [surface, k]
    else if (k !== reference[1]) {
      problems.push(
        `${surface} differs from ${reference[0]}:\n  ${reference[0]}: ${reference[1].trim()}\n  ${surface}: ${k.trim()}`,
      )
    }
    const want = testCase.expect
    if (want !== undefined) {
      if ('code' in want && (outcome.ok || outcome.problem.code !== want.code)) {
        problems.push(`${surface}: expected error "${want.code}", got ${k.trim().slice(0, 300)}`)
      }
      if ('ok' in want && !outcome.ok)
        problems.push(`${surface}: expected success, got ${k.trim().slice(0, 300)}`)
      if ('body' in want && k !== `ok ${want.body}`) {
        problems.push(`${surface}: expected body ${JSON.stringify(want.body)}, got ${k.trim().slice(0, 300)}`)
      }
    }
  }
  if (outcomes.size === 0) problems.push(`no surface exposes "${testCase.op}"`)
  return { outcomes, problems }
}

/**
 * Runs a case on every surface and throws one error listing every disagreement; use it inside
 * a test (`it(c.name, () => checkAcrossSurfaces(all, c))`).
 *
 * @example
 * ```ts
 * import { checkAcrossSurfaces, surfaces } from 'manifold/testing'
 * const all = await surfaces(app, { cli: { command: process.execPath, args: ['dist/cli.mjs'] } })
 * for (const c of cases) it(c.name, () => checkAcrossSurfaces(all, c))
 * ```
 */
export async function checkAcrossSurfaces(all: Surfaces, testCase: SurfaceCase): Promise<CaseReport> {
  const report = await checkCase(all, testCase, all.isStream(testCase.op))
  if (report.problems.length > 0) {
    throw new Error(
      `"${testCase.name}" is not the same on every surface (${[...report.outcomes.keys()].join(', ')}):\n${report.problems.join('\n')}`,
    )
  }
  return report
}
