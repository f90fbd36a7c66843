/**
 * Compiles `handler.ts` and runs it in a fresh Node process (no TypeScript loader).
 *
 *   node --import tsx bench/http/handler-run.ts [--n 100000] [--rounds 5]
 */
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { compile, here, outdir } from './build.ts'

await compile([here('./handler.ts')])
const result = spawnSync(process.execPath, [join(outdir, 'handler.mjs'), ...process.argv.slice(2)], {
  stdio: 'inherit',
})
process.exit(result.status ?? 1)
