import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { describe, expect, it } from 'vitest'

const entry = fileURLToPath(new URL('./index.ts', import.meta.url))

async function bundle(splitting: boolean) {
  const result = await build({
    stdin: {
      contents: `export { runCli } from ${JSON.stringify(entry)}`,
      resolveDir: process.cwd(),
      loader: 'ts',
    },
    bundle: true,
    write: false,
    splitting,
    outdir: '/virtual',
    format: 'esm',
    platform: 'node',
    conditions: ['source'],
    external: ['@modelcontextprotocol/*'],
    metafile: true,
    logLevel: 'silent',
  })
  return result.metafile
}

describe('the manifold/cli bundle', () => {
  it('the manifold/cli bundle never pulls in the HTTP server or node:http', async () => {
    const meta = await bundle(false)
    const inputs = Object.keys(meta.inputs)
    expect(inputs.some((p) => p.endsWith('src/http/serve.ts'))).toBe(false)
    const imports = Object.values(meta.outputs).flatMap((o) => o.imports.map((i) => i.path))
    expect(imports).not.toContain('node:http')
    expect(imports).not.toContain('node:crypto')
  })

  it('the manifold/cli entry loads help, completion, prompts, YAML, MCP and the client only on demand', async () => {
    const meta = await bundle(true)
    const outputs = Object.entries(meta.outputs)
    const [entryPath] = outputs.find(([, o]) => o.entryPoint === '<stdin>') ?? []
    const loaded = new Set<string>()
    const visit = (path: string) => {
      if (loaded.has(path)) return
      loaded.add(path)
      for (const i of meta.outputs[path]?.imports ?? [])
        if (i.kind === 'import-statement' && !i.external) visit(i.path)
    }
    visit(entryPath as string)
    const eager = [...loaded].flatMap((p) => Object.keys(meta.outputs[p]?.inputs ?? {}))
    for (const lazy of [
      'help.ts',
      'completion.ts',
      'prompt.ts',
      'yaml.ts',
      'human.ts',
      'remote.ts',
      'mcp/index.ts',
      'client/index.ts',
    ]) {
      expect(eager.filter((p) => p.endsWith(`/${lazy}`))).toEqual([])
    }
    const builtins = [...loaded].flatMap(
      (p) =>
        meta.outputs[p]?.imports
          .filter((i) => i.external && i.kind === 'import-statement')
          .map((i) => i.path) ?? [],
    )
    // Not even node:util: the CLI tokenizes argv itself (parse-argv.ts).
    expect(builtins).toEqual([])
  })
})
