/** tRPC 11 standalone adapter, a zod-validated mutation at POST /users.create. */
import { initTRPC } from '@trpc/server'
import { createHTTPServer } from '@trpc/server/adapters/standalone'
import { created, port, ready, User } from './shared.ts'

const t = initTRPC.create()
const router = t.router({
  users: t.router({ create: t.procedure.input(User).mutation(({ input }) => created(input)) }),
})
const server = createHTTPServer({ router })
server.listen(port, '127.0.0.1')
server.on('listening', () => ready((server.address() as { port: number }).port))
