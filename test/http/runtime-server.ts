/**
 * Serves the fixture through `fetchHandler` on the runtime this file runs in (Bun or Deno)
 * and prints its URL on the first line of stdout.
 */
import { fetchHandler } from 'manifold/http'
import { fixture } from './fixture.ts'

const handler = fetchHandler(fixture, { accessLog: false, bodyLimit: 4096 })
const g = globalThis as unknown as {
  Bun?: { serve(o: object): { port: number } }
  Deno?: { serve(o: object, h: unknown): unknown }
}
if (g.Bun !== undefined) {
  const server = g.Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: handler })
  console.log(`http://127.0.0.1:${server.port}`)
} else if (g.Deno !== undefined) {
  g.Deno.serve(
    {
      port: 0,
      hostname: '127.0.0.1',
      onListen: ({ port }: { port: number }) => console.log(`http://127.0.0.1:${port}`),
    },
    handler,
  )
} else {
  throw new Error('Run this file with bun or deno')
}
