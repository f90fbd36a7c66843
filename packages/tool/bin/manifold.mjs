#!/usr/bin/env node
// What npm links as `manifold`. Runs the built CLI from dist/; in a checkout where dist/ is not built
// (or with MANIFOLD_TOOL_SOURCE=1) it re-runs itself on the TypeScript sources through tsx with the
// "source" export condition, so workspace packages resolve to their sources too.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const built = new URL('../dist/bin/manifold.js', import.meta.url)
if (process.env.MANIFOLD_TOOL_SOURCE !== '1' && existsSync(built)) {
  await import(built.href)
} else {
  const source = fileURLToPath(new URL('../src/bin/manifold.ts', import.meta.url))
  const child = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--conditions=source', source, ...process.argv.slice(2)],
    { stdio: 'inherit' },
  )
  process.exitCode = child.status ?? (child.signal === 'SIGINT' ? 130 : 70)
}
