// manifold with no schema library: a hand-written Standard Schema (validate + JSON Schema),
// to show what manifold itself costs at start-up.
import { app, op, type StandardJSONSchemaV1, type StandardSchemaV1 } from 'manifold'
import { runCli } from 'manifold/cli'

const jsonSchema = {
  type: 'object',
  properties: { name: { type: 'string', description: 'Who to greet' } },
  required: ['name'],
}
const input: StandardSchemaV1<{ name: string }> & StandardJSONSchemaV1<{ name: string }> = {
  '~standard': {
    version: 1,
    vendor: 'plain',
    validate: (value) =>
      typeof value === 'object' && value !== null && typeof (value as { name?: unknown }).name === 'string'
        ? { value: value as { name: string } }
        : { issues: [{ message: 'Expected a string', path: ['name'] }] },
    jsonSchema: { input: () => jsonSchema, output: () => jsonSchema },
  },
}

const greet = op({ name: 'greet', description: 'Say hello', input, handler: ({ name }) => `Hello, ${name}!` })

runCli(app({ name: 'hello', version: '1.0.0', operations: [greet] }))
