/**
 * The `manifold` command as a manifold app: each command group is an operation module in ops/.
 *
 * @module
 */
import { app } from 'manifold'
import pkg from '../package.json' with { type: 'json' }
import { build } from './ops/build.ts'
import { deploySam } from './ops/deploy-template.ts'
import { dev } from './ops/dev.ts'
import { init } from './ops/init.ts'
import { lambdaInvoke, lambdaServe } from './ops/lambda.ts'
import { openapi } from './ops/openapi.ts'

/**
 * The tool's app: build, dev, init, openapi, deploy-template, lambda serve|invoke.
 *
 * @example
 * ```ts
 * import { invoke } from 'manifold'
 * import { tool } from './app.ts'
 * await invoke(tool, 'build', { root: 'examples/notes' })
 * ```
 */
export const tool = app({
  name: 'manifold',
  version: pkg.version,
  description: 'Build, run, scaffold and deploy manifold apps',
  operations: [build, dev, init, openapi, deploySam, lambdaServe, lambdaInvoke],
})

export default tool
