/** Hono on @hono/node-server, zod validation in the handler. */
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { created, port, ready, User } from './shared.ts'

const app = new Hono()
app.post('/users/create', async (c) => {
  const r = User.safeParse(await c.req.json())
  if (!r.success) return c.json(r.error.issues, 400)
  return c.json(created(r.data))
})
serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, (info) => ready(info.port))
