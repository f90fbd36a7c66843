/** incur's fetch handler (cli.fetch) on @hono/node-server; POST /users/create with a JSON body. */
import { serve } from '@hono/node-server'
import { Cli } from 'incur'
import { created, port, ready, User } from './shared.ts'

const users = Cli.create('users', { description: 'Users' }).command('create', {
  options: User,
  run: (c) => created(c.options),
})
const cli = Cli.create('bench', { version: '1.0.0' }).command(users)
serve({ fetch: cli.fetch, port, hostname: '127.0.0.1' }, (info) => ready(info.port))
