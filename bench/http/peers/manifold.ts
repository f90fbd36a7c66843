/** manifold: one operation, served with serve(). ACCESS_LOG=0 turns the access log off. */
import { app, op } from 'manifold'
import { serve } from 'manifold/http'
import { created, port, ready, User } from './shared.ts'

const create = op({ name: 'users.create', input: User, handler: (input) => created(input) })
const bench = app({ name: 'bench', version: '1.0.0', operations: [create] })
const server = await serve(bench, { port, print: false, accessLog: process.env.ACCESS_LOG !== '0' })
ready(server.port)
