#!/usr/bin/env node
// What npm links as `manifold`. Runs the built CLI from dist/. In a checkout, where src/ sits next to
// dist/, it runs the TypeScript sources instead (through tsx, with the "source" export condition so
// workspace packages resolve to their sources too) when dist/ is missing, older than a source file,
// or MANIFOLD_TOOL_SOURCE=1; MANIFOLD_TOOL_SOURCE=0 forces dist/.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const built = fileURLToPath(new URL('../dist/bin/manifold.js', import.meta.url))
const sources = fileURLToPath(new URL('../src/', import.meta.url))

function newestSource(dir) {
  let newest = 0
  for (const item of readdirSync(dir, { withFileTypes: true })) {
    const path = `${dir}/${item.name}`
    const time = item.isDirectory() ? newestSource(path) : statSync(path).mtimeMs
    if (time > newest) newest = time
  }
  return newest
}

function useSource() {
  const forced = process.env.MANIFOLD_TOOL_SOURCE
  if (forced === '1' || forced === '0') return forced === '1'
  if (!existsSync(built)) return true
  return existsSync(sources) && newestSource(sources) > statSync(built).mtimeMs
}

if (!useSource()) {
  await import(new URL('../dist/bin/manifold.js', import.meta.url).href)
} else {
  const child = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--conditions=source', `${sources}bin/manifold.ts`, ...process.argv.slice(2)],
    { stdio: 'inherit' },
  )
  process.exitCode = child.status ?? (child.signal === 'SIGINT' ? 130 : 70)
}
