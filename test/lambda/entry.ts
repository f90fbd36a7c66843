/** The Lambda entry the emulator tests bundle with esbuild: the test app on every trigger. */
import { lambda } from 'manifold/lambda'
import testApp from './app.ts'

export const handler = lambda(testApp, {
  sqs: { op: 'import' },
  events: { 'Scheduled Event': 'cleanup' },
  stream: process.env.MANIFOLD_TEST_STREAM === '1',
})
