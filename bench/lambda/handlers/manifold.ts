/** manifold: one operation, served on Lambda. */
import { app, op } from 'manifold'
import { lambda } from 'manifold/lambda'
import { Hello } from './schema.ts'

const hello = op({
  name: 'hello',
  input: Hello,
  readOnly: true,
  http: { method: 'GET', path: '/hello/{name}' },
  handler: ({ name }) => ({ message: `Hello, ${name}` }),
})

export const handler = lambda(app({ name: 'bench', version: '1.0.0', operations: [hello] }))
