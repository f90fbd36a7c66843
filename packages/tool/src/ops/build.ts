/**
 * `manifold build`: one bundle per entry in dist/, the Lambda zip, the size table, `--sea`, `--watch`.
 *
 * @module
 */
import { resolve } from 'node:path'
import { op } from 'manifold'
import * as z from 'zod'
import { formatBytes, formatReport } from '../build/report.ts'
import { runBuild, selectedEntries, writeBundles } from '../build/run-build.ts'
import { buildSea } from '../build/sea.ts'
import { watchEntries } from '../build/watch.ts'
import { entryKinds, readConfig } from '../config.ts'
import { note } from '../io.ts'
import { projectFields } from './shared.ts'

const artifact = z.object({
  entry: z.enum(entryKinds),
  file: z.string(),
  raw: z.number(),
  gzip: z.number(),
  zip: z.number().optional(),
})

/**
 * `manifold build` as an operation (run it through `invoke` in tests).
 *
 * @example
 * ```sh
 * manifold build --sourcemap --only lambda
 * ```
 */
export const build = op({
  name: 'build',
  description: 'Bundle each entry of the app into dist/ and report sizes',
  input: z.object({
    ...projectFields,
    sourcemap: z.boolean().default(false).describe('Write source maps next to the bundles'),
    only: z.array(z.enum(entryKinds)).optional().describe('Build only these entries'),
    sea: z.boolean().default(false).describe('Also build the CLI as a single executable (dist/<name>)'),
    watch: z.boolean().default(false).describe('Rebuild on change until interrupted'),
    quiet: z.boolean().default(false).describe('Do not print the size table'),
    outDir: z.string().optional().describe('Write the artifacts here instead of the configured folder'),
  }),
  output: z.object({
    artifacts: z.array(artifact),
    sea: z.object({ path: z.string(), size: z.number() }).optional(),
  }),
  cli: {
    examples: ['build', 'build --sourcemap --only lambda', 'build --sea', 'build --watch'],
  },
  handler: async (input, ctx) => {
    const read = await readConfig(input.root)
    const config = input.outDir === undefined ? read : { ...read, outDir: resolve(input.outDir) }
    const options = {
      sourcemap: input.sourcemap,
      conditions: input.conditions,
      ...(input.only !== undefined ? { only: input.only } : {}),
      warn: (line: string) => note(line),
    }
    if (input.watch) {
      const kinds = selectedEntries(config, input.only)
      note(`Watching ${kinds.join(', ')} of ${config.name}; Ctrl-C stops`)
      await watchEntries(config, kinds, {
        ...options,
        signal: ctx.signal,
        onBundle: async (bundle) => {
          const { reports } = await writeBundles(config, [bundle], options)
          if (!input.quiet) note(formatReport(reports))
        },
        onError: (kind, message) => note(`The "${kind}" entry failed to build:\n${message}`),
      })
      return { artifacts: [] }
    }
    const { reports } = await runBuild(config, options)
    if (!input.quiet) note(formatReport(reports))
    const artifacts = reports.map(({ largest: _, ...r }) => r)
    if (!input.sea) return { artifacts }
    const sea = await buildSea(config, { conditions: input.conditions })
    if (!input.quiet) note(`sea     ${sea.path}  ${formatBytes(sea.size)}`)
    return { artifacts, sea }
  },
})
