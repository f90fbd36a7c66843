import { cpSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** A fixture app's folder. */
export function fixture(name: string): string {
  return fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url))
}

/** A fresh temporary folder, removed by the returned function. */
export function tempDir(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `manifold-${prefix}-`))
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) }
}

/**
 * A copy of a fixture inside this package, so its imports still resolve through the workspace's
 * node_modules; removed by the returned function.
 */
export function fixtureCopy(name: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(fileURLToPath(new URL('./.tmp-', import.meta.url)))
  cpSync(fixture(name), dir, { recursive: true, filter: (src) => !src.includes('/dist') })
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) }
}

/** The `manifold` bin, run from source. */
export const manifoldBin = fileURLToPath(new URL('../bin/manifold.mjs', import.meta.url))
