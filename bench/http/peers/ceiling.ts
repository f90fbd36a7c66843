/** The ceiling: hand-written node:http + zod, no framework. */
import { createServer } from 'node:http'
import { created, port, ready, User } from './shared.ts'

const server = createServer((req, res) => {
  if (req.method !== 'POST' || req.url !== '/users/create') {
    res.writeHead(404).end()
    return
  }
  const chunks: Buffer[] = []
  req.on('data', (c: Buffer) => chunks.push(c))
  req.on('end', () => {
    let body: unknown
    try {
      body = JSON.parse(Buffer.concat(chunks).toString())
    } catch {
      res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"bad json"}')
      return
    }
    const r = User.safeParse(body)
    if (!r.success) {
      res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify(r.error.issues))
      return
    }
    const out = JSON.stringify(created(r.data))
    res
      .writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(out) })
      .end(out)
  })
})
server.listen(port, '127.0.0.1', () => ready((server.address() as { port: number }).port))
