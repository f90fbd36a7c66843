// incur with one command: the peer of manifold's CLI entry (incur also bundles its MCP server).
import { Cli, z } from 'incur'

Cli.create('hello', { description: 'Say hello' })
  .command('greet', {
    description: 'Say hello',
    options: z.object({ name: z.string().default('world') }),
    run: (c) => ({ message: `Hello, ${c.options.name}!` }),
  })
  .serve()
