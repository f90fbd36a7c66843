// Hono's Lambda adapter with one zod-validated route: the peer of manifold's Lambda entry.
import { Hono } from 'hono'
import { handle } from 'hono/aws-lambda'
import * as z from 'zod'

const Input = z.object({ name: z.string().default('world') })
const app = new Hono()
app.get('/greet', (c) => c.json({ message: `Hello, ${Input.parse(c.req.query()).name}!` }))

export const handler = handle(app)
