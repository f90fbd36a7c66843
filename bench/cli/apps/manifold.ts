import { app, op } from 'manifold'
import { runCli } from 'manifold/cli'
import * as z from 'zod'

const greet = op({
  name: 'greet',
  description: 'Say hello',
  input: z.object({ name: z.string().describe('Who to greet') }),
  handler: ({ name }) => `Hello, ${name}!`,
})

runCli(app({ name: 'hello', version: '1.0.0', operations: [greet] }))
