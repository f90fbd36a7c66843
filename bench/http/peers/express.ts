/** Express 5 with express.json() and zod. */
import express from 'express'
import { created, port, ready, User } from './shared.ts'

const app = express()
app.use(express.json())
app.post('/users/create', (req, res) => {
  const r = User.safeParse(req.body)
  if (!r.success) {
    res.status(400).json(r.error.issues)
    return
  }
  res.json(created(r.data))
})
const server = app.listen(port, '127.0.0.1', () => ready((server.address() as { port: number }).port))
