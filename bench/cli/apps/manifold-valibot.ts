import { toStandardJsonSchema } from '@valibot/to-json-schema'
import { app, op } from 'manifold'
import { runCli } from 'manifold/cli'
import * as v from 'valibot'

const greet = op({
  name: 'greet',
  description: 'Say hello',
  input: toStandardJsonSchema(v.object({ name: v.pipe(v.string(), v.description('Who to greet')) })),
  handler: ({ name }) => `Hello, ${name}!`,
})

runCli(app({ name: 'hello', version: '1.0.0', operations: [greet] }))
