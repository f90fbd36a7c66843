import { initTRPC } from '@trpc/server'
import { createCli } from 'trpc-cli'
import * as z from 'zod'

const t = initTRPC.create()
const router = t.router({
  greet: t.procedure
    .meta({ description: 'Say hello' })
    .input(z.object({ name: z.string().describe('Who to greet') }))
    .query(({ input }) => `Hello, ${input.name}!`),
})
createCli({ router, name: 'hello', version: '1.0.0' }).run()
