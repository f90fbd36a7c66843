/**
 * `manifold/cli`: any app as a command-line tool. The entry file of an app is two lines:
 * `import { runCli } from 'manifold/cli'` and `runCli(app)`.
 *
 * @module
 */
export { type CliReader, type CliWriter, type RunCliOptions, runCli } from './run.ts'
