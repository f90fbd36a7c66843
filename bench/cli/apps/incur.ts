import { Cli, z } from 'incur'

Cli.create('hello', { description: 'Say hello', version: '1.0.0' })
  .command('greet', {
    description: 'Say hello',
    options: z.object({ name: z.string().describe('Who to greet') }),
    run: (c) => `Hello, ${c.options.name}!`,
  })
  .serve()
