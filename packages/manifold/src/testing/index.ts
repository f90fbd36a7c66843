/**
 * manifold/testing: run one table of cases on every surface of an app (in process, the CLI as
 * a subprocess, HTTP over a real socket, Lambda events, MCP over the official SDK client) and
 * assert the same result bytes or the same mapped error everywhere. Works with any test
 * runner; the examples use vitest.
 *
 * @example
 * ```ts
 * import { checkAcrossSurfaces, surfaces } from 'manifold/testing'
 * import { afterAll, beforeAll, it } from 'vitest'
 * import app from '../src/app.ts'
 *
 * let all: Awaited<ReturnType<typeof surfaces>>
 * beforeAll(async () => {
 *   all = await surfaces(app, { cli: { command: process.execPath, args: ['dist/cli.mjs'] } })
 * })
 * afterAll(() => all.close())
 * it('get of a missing note is not_found everywhere', () =>
 *   checkAcrossSurfaces(all, { name: 'missing', op: 'get', input: { id: 999 }, expect: { code: 'not_found' } }))
 * ```
 *
 * @module
 */

export type { CliCommand } from './callers.ts'
export { type CaseReport, checkAcrossSurfaces, checkCase, type SurfaceCase } from './check.ts'
export type { Outcome, ProblemShape } from './outcome.ts'
export {
  type CallEverywhereOptions,
  type SurfaceName,
  type Surfaces,
  type SurfacesOptions,
  surfaces,
} from './surfaces.ts'
