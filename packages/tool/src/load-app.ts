/**
 * Loads the app object of a project (for `openapi` and `deploy-template`) by bundling its app module
 * with esbuild into the project's cache folder and importing it: no TypeScript loader needed.
 *
 * @module
 */
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { builtinModules } from 'node:module'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { build } from 'esbuild'
import { type AnyApp, ManifoldError, UsageError } from 'manifold'
import type { ManifoldConfig } from './config.ts'

/** Options of {@link loadApp}. */
export interface LoadAppOptions {
  /** Extra export conditions, e.g. `['source']` in this repository. */
  readonly conditions?: readonly string[]
}

function isApp(value: unknown): value is AnyApp {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'manifold.app'
}

/**
 * Imports the module named by `manifold.app` and returns the app it exports (default export first,
 * else the only exported app).
 *
 * @example
 * ```ts
 * const target = await loadApp(await readConfig('.'))
 * target.operations.map((o) => o.name)
 * ```
 */
export async function loadApp(config: ManifoldConfig, options: LoadAppOptions = {}): Promise<AnyApp> {
  if (config.app === undefined) {
    throw new UsageError('The config names no app module', {
      hint: 'Add "app": "src/core/app.ts" (a module whose default export is the app) to the "manifold" field',
    })
  }
  const cache = join(config.root, 'node_modules', '.cache', 'manifold')
  const file = join(cache, `app-${process.pid}-${Date.now()}.mjs`)
  try {
    const result = await build({
      absWorkingDir: config.root,
      entryPoints: [config.app],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      write: false,
      logLevel: 'silent',
      external: ['node:*', ...builtinModules, ...config.external],
      conditions: ['module', ...(options.conditions ?? [])],
      banner: {
        js: "import{createRequire as __mfRequire}from'node:module';const require=__mfRequire(import.meta.url);",
      },
    })
    const code = result.outputFiles[0]?.contents
    if (code === undefined) throw new Error('esbuild wrote no output')
    await mkdir(cache, { recursive: true })
    await writeFile(file, code)
    const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>
    if (isApp(mod.default)) return mod.default
    const apps = Object.values(mod).filter(isApp)
    if (apps.length === 1 && apps[0] !== undefined) return apps[0]
    throw new UsageError(
      `The module "${config.app}" exports ${apps.length === 0 ? 'no app' : 'several apps'}`,
      {
        hint: 'Make the app the default export: export default app({ … })',
      },
    )
  } catch (error) {
    if (error instanceof ManifoldError) throw error
    throw new UsageError(`Cannot load the app from "${config.app}": ${(error as Error).message}`, {
      cause: error,
    })
  } finally {
    await rm(file, { force: true })
  }
}
