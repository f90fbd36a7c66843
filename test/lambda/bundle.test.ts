/**
 * Importing `manifold/lambda` stays lean: a one-operation bundle carries the core, the HTTP
 * router and the Lambda adapter, and nothing of the CLI, the HTTP server, OpenAPI, the docs
 * page or MCP. (Its size is measured in bench/lambda, not asserted here.)
 */
import { build } from 'esbuild'
import { describe, expect, it } from 'vitest'

const entry = `
import { app, op } from 'manifold'
import { lambda } from 'manifold/lambda'
const ping = op({ name: 'ping', readOnly: true, handler: () => ({ pong: true }) })
export const handler = lambda(app({ name: 'one', version: '1.0.0', operations: [ping] }))
`

describe('the manifold/lambda bundle', () => {
  it('a one-operation Lambda bundle includes no CLI, server, OpenAPI, docs or MCP module', async () => {
    const result = await build({
      stdin: { contents: entry, resolveDir: new URL('.', import.meta.url).pathname, loader: 'ts' },
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'node',
      conditions: ['source'],
      write: false,
      metafile: true,
      logLevel: 'silent',
    })
    const inputs = Object.keys(result.metafile.inputs)
    expect(inputs.filter((f) => f.includes('/src/lambda/')).length).toBeGreaterThan(0)
    const forbidden = inputs.filter((f) =>
      /\/src\/(cli|mcp)\/|\/src\/http\/(serve|openapi|docs|fetch)\.ts$|@modelcontextprotocol|^node:/.test(f),
    )
    expect(forbidden).toEqual([])
    const code = result.outputFiles[0]?.text ?? ''
    expect(code).not.toMatch(/from ?"node:(http|net|readline)"/)
  })
})
