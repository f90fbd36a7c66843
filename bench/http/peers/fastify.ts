/**
 * Fastify 5, zod validation in the handler (same validation work as every peer).
 * FASTIFY_LOGGER=1 turns on its request logging (pino, to stderr), beside manifold's access log.
 */
import Fastify from 'fastify'
import { created, port, ready, User } from './shared.ts'

const logger = process.env.FASTIFY_LOGGER === '1' ? { level: 'info', file: '/dev/stderr' } : false
const app = Fastify({ logger })
app.post('/users/create', async (req, reply) => {
  const r = User.safeParse(req.body)
  if (!r.success) return reply.code(400).send(r.error.issues)
  return created(r.data)
})
await app.listen({ port, host: '127.0.0.1' })
ready((app.server.address() as { port: number }).port)
