/** Fastify 5, zod validation in the handler (same validation work as every peer). */
import Fastify from 'fastify'
import { created, port, ready, User } from './shared.ts'

const app = Fastify({ logger: false })
app.post('/users/create', async (req, reply) => {
  const r = User.safeParse(req.body)
  if (!r.success) return reply.code(400).send(r.error.issues)
  return created(r.data)
})
await app.listen({ port, host: '127.0.0.1' })
ready((app.server.address() as { port: number }).port)
