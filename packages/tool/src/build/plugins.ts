/**
 * esbuild plugins every manifold bundle uses.
 *
 * @module
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Plugin } from 'esbuild'
import { packageDir } from './lambda-zip.ts'

/**
 * In zod 4, `zod` and `zod/v4` are the same API from two entry files. When one is imported statically
 * (the app) and the other dynamically (the MCP SDK, loaded lazily), esbuild wraps the shared modules
 * in lazy initialisers and zod's internal import cycles then initialise out of order ("Class2 is not
 * a constructor" at start). Resolving both to `zod` keeps one entry and the bundle correct.
 *
 * @example
 * ```ts
 * await build({ entryPoints: ['src/bin/cli.ts'], bundle: true, plugins: [zodEntryPlugin(process.cwd())] })
 * ```
 */
export function zodEntryPlugin(root: string): Plugin {
  return {
    name: 'manifold-zod-entry',
    setup(b) {
      const dir = packageDir('zod', root)
      if (dir === undefined) return
      const { version } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version?: string }
      if (!version?.startsWith('4.')) return
      b.onResolve({ filter: /^zod\/v4$/ }, (args) =>
        args.pluginData === 'manifold-zod'
          ? undefined
          : b.resolve('zod', {
              kind: args.kind,
              resolveDir: args.resolveDir,
              pluginData: 'manifold-zod',
            }),
      )
    },
  }
}

/**
 * A package that is only imported dynamically and is not installed (an optional peer such as the MCP
 * SDK in an app without MCP) stays an `import()` at run time instead of failing the build; the code
 * that loads it already handles its absence.
 *
 * @example
 * ```ts
 * await build({ entryPoints: ['src/bin/cli.ts'], bundle: true, plugins: [optionalDynamicPlugin()] })
 * ```
 */
export function optionalDynamicPlugin(): Plugin {
  return {
    name: 'manifold-optional-dynamic',
    setup(b) {
      b.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (args.kind !== 'dynamic-import' || args.pluginData === 'manifold-optional') return undefined
        const result = await b.resolve(args.path, {
          kind: args.kind,
          resolveDir: args.resolveDir,
          importer: args.importer,
          pluginData: 'manifold-optional',
        })
        return result.errors.length > 0 ? { path: args.path, external: true } : result
      })
    },
  }
}
