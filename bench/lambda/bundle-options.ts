/** The esbuild options every handler of the Lambda benchmark is bundled with (run.ts, own-bytes.ts). */
import type { BuildOptions } from 'esbuild'

export const handlerBundle = {
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  conditions: ['source'],
  metafile: true,
  logLevel: 'warning',
} as const satisfies BuildOptions
