import { defineConfig } from 'vitest/config'

export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'], externalConditions: ['source'] } },
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'packages/*/test/**/*.test.ts',
      'examples/*/test/**/*.test.ts',
      'test/**/*.test.ts',
    ],
    // These publish a `source` export with raw TypeScript; the `source` condition above would
    // hand it to Node untransformed, so vite transforms them and the MCP client that imports them.
    server: {
      deps: {
        inline: [
          '@modelcontextprotocol/client',
          '@modelcontextprotocol/sdk',
          'eventsource',
          'eventsource-parser',
        ],
      },
    },
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
})
