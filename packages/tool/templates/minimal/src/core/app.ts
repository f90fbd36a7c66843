import { app, op } from 'manifold'
import * as z from 'zod'

export const greet = op({
  name: 'greet',
  description: 'Say hello',
  input: z.object({ name: z.string().min(1).default('world') }),
  output: z.object({ message: z.string() }),
  readOnly: true,
  cli: { examples: ['greet --name Ada'] },
  handler: ({ name }) => ({ message: `Hello, ${name}!` }),
})

export default app({ name: '{{name}}', version: '0.1.0', operations: [greet] })
