/** hono with its aws-lambda adapter. */
import { Hono } from 'hono'
import { handle } from 'hono/aws-lambda'
import { Hello } from './schema.ts'

const app = new Hono().get('/hello/:name', (c) => {
  const input = Hello.safeParse({ name: c.req.param('name') })
  if (!input.success) return c.json({ message: 'Invalid input' }, 400)
  return c.json({ message: `Hello, ${input.data.name}` })
})

export const handler = handle(app)
