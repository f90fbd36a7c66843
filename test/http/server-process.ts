/**
 * A server process for the shutdown, cluster and environment tests. Reads WORKERS and
 * SHUTDOWN_MS; PORT and HOST are read by serve() itself.
 */
import { app, op } from 'manifold'
import { serve } from 'manifold/http'
import * as z from 'zod'

const slow = op({
  name: 'slow',
  input: z.object({ ms: z.int().min(0) }),
  handler: async ({ ms }) => {
    await new Promise((resolve) => setTimeout(resolve, ms))
    return { waited: ms }
  },
})
const pid = op({ name: 'pid', readOnly: true, handler: () => ({ pid: process.pid }) })

const proc = app({
  name: 'proc',
  version: '1.0.0',
  operations: [slow, pid],
  deps: () => ({ close: () => void process.stderr.write(`deps closed ${process.pid}\n`) }),
})

await serve(proc, {
  workers: Number(process.env.WORKERS ?? '1'),
  shutdownTimeout: Number(process.env.SHUTDOWN_MS ?? '5000'),
  accessLog: process.env.ACCESS_LOG !== '0',
})
