/**
 * A faster start for `cli.mjs`: a V8 code cache. Node 20 has no compile cache for ES modules
 * (`module.enableCompileCache` came in 22.1), so an ES module CLI is parsed and every function it
 * runs compiled anew at each start. Here the CLI's code is bundled as the body of one function,
 * stored as a string in `cli.mjs`, which compiles it with `vm.Script` and the code cache V8 wrote
 * when the build ran `<cli> --help` and `<cli> <first command> --help` (during the first, `runCli`
 * rehearses a command of a throwaway app, so a call's code is compiled too). The cache sits next to the CLI (`cli.mjs.cache`) and is
 * read only by the Node version that wrote it; V8 checks it again and compiles from source when it
 * does not fit, so a missing, foreign or stale cache only costs speed.
 *
 * @module
 */
import { spawnSync } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { isBuiltin } from 'node:module'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { type BuildOptions, build, type Plugin } from 'esbuild'

/** The code cache file, next to `cli.mjs`. */
export const codeCacheFile = 'cli.mjs.cache'

/** What the function body receives from the loader (`cli.mjs`), in this order. */
const params = '__mfImport,__mfUrl,__mfDirname,__mfFilename,require'

/** How the loader runs the body; the build's training run uses the same text, so V8 accepts the cache. */
const wrap = (body: string) => `(async function(${params}){"use strict";${body}\n})`

/**
 * Static and dynamic imports of built-ins (and of any `node:` name, such as `node:sqlite`, which
 * Node 20 does not have) become `process.getBuiltinModule` (Node 20.16+): a script
 * has no `import`, and a `require` made by `createRequire` costs more at start than the import did.
 */
function builtinsPlugin(): Plugin {
  return {
    name: 'manifold-fast-start-builtins',
    setup(b) {
      b.onResolve({ filter: /.*/ }, (args) =>
        (args.path.startsWith('node:') || isBuiltin(args.path)) && args.namespace !== 'manifold-builtin'
          ? { path: args.path, namespace: 'manifold-builtin' }
          : undefined,
      )
      // A built-in this Node lacks (node:sqlite on Node 20) fails its import as before.
      b.onLoad({ filter: /.*/, namespace: 'manifold-builtin' }, (args) => ({
        contents: `const m = process.getBuiltinModule(${JSON.stringify(args.path)})
if (m === undefined) throw Object.assign(new Error(${JSON.stringify(`No such built-in module: ${args.path}`)}), { code: 'ERR_UNKNOWN_BUILTIN_MODULE' })
module.exports = m`,
        loader: 'js',
      }))
    },
  }
}

/** The loader: `cli.mjs` with the body as a string, compiled with the code cache when it fits. */
function loader(shebang: string, body: string, needsRequire: boolean, v8: string): string {
  // process.getBuiltinModule, not `import … from "node:fs"`: an ES module import of a built-in
  // builds its ES module facade, which reads every export of node:fs, and its stream getters load
  // node:internal/fs/streams (about 0.3 ms that a CLI printing a line never needs).
  const req = needsRequire ? `,{createRequire:q}=P.getBuiltinModule("module")` : ''
  return (
    `${shebang}const P=process,{readFileSync:r}=P.getBuiltinModule("fs"),{Script:S}=P.getBuiltinModule("vm")${req};` +
    `const m=import.meta,f=m.filename,s=${JSON.stringify(wrap(body))};let c;` +
    `if(process.versions.v8===${JSON.stringify(v8)})try{c=r(f+".cache")}catch{}` +
    `await new S(s,{filename:f,cachedData:c}).runInThisContext()(p=>import(p),m.url,m.dirname,f${needsRequire ? ',q(m.url)' : ''});\n`
  )
}

// Runs the body as the loader does with the argv given and, when given a file, writes on exit what
// V8 compiled (starting from what that file already holds).
const trainer = `
import{readFileSync as r,writeFileSync as w}from"node:fs";import{Script as S}from"node:vm";import{createRequire as q}from"node:module";import{pathToFileURL as u}from"node:url";import{dirname as d}from"node:path";
const[f,b,o,...a]=process.argv.slice(1);process.argv=[process.argv[0],f,...a];
let c;try{if(o)c=r(o)}catch{}
const s=new S(r(b,"utf8"),{filename:f,cachedData:c}),x=u(f).href;globalThis[Symbol.for("manifold.cli.training")]=true;
if(o)process.on("exit",()=>w(o,s.createCachedData()));
await s.runInThisContext()(p=>import(new URL(p,x).href),x,d(f),f,q(x));
`

/**
 * Builds the fast-start `cli.mjs` and its code cache, or `undefined` when this CLI cannot have one:
 * an entry that does not use `runCli`, a static import of a package left external, an
 * `import.meta` other than url/dirname/filename, exports from the entry, or a training run
 * (`<cli> --help`) that fails.
 *
 * @param base esbuild options of the plain ES module CLI
 * @param plugins the plugins of the plain build (the MCP SDK stays in `cli-mcp-sdk/`)
 */
export async function fastStartCli(
  base: BuildOptions,
  plugins: readonly Plugin[],
): Promise<{ code: Uint8Array; cache: Uint8Array } | undefined> {
  const { banner: _banner, outfile: _outfile, ...rest } = base
  const result = await build({
    ...rest,
    outfile: 'cli.js',
    write: false,
    external: (base.external ?? []).filter((e) => !isBuiltin(e.replace(/\/\*$/, '')) && e !== 'node:*'),
    define: {
      ...base.define,
      'import.meta.url': '__mfUrl',
      'import.meta.dirname': '__mfDirname',
      'import.meta.filename': '__mfFilename',
    },
    plugins: [builtinsPlugin(), ...plugins],
  }).catch(() => undefined)
  if (result === undefined) return undefined
  // Training runs the entry; only run one that hands argv to runCli, where --help only prints.
  const inputs = Object.keys(result.metafile?.inputs ?? {})
  if (!inputs.some((path) => /manifold\/(src|dist)\/cli\/run\.[jt]s$/.test(path))) return undefined
  const output = Object.values(result.metafile?.outputs ?? {})[0]
  const main = result.outputFiles?.find((f) => !f.path.endsWith('.map'))
  if (output === undefined || main === undefined || output.exports.length > 0) return undefined
  // A script has no static import; what is still imported at run time (the MCP SDK files next to
  // cli.mjs, optional packages) goes through the loader's import(), relative to cli.mjs as before.
  // require() of a package left external (pg's optional pg-native) goes through createRequire.
  const external = output.imports.filter((i) => i.external && !i.kind.startsWith('require-'))
  if (external.some((i) => i.kind !== 'dynamic-import')) return undefined
  // The entry's own hashbang, if it has one, is the first line of esbuild's output.
  const hashbang = /^#![^\n]*\n/.exec(main.text)?.[0]
  let body = main.text.slice(hashbang?.length ?? 0)
  for (const path of new Set(external.map((i) => JSON.stringify(i.path))))
    body = body.replaceAll(`import(${path})`, `__mfImport(${path})`)
  // A built-in name esbuild saw only as a constant (the notes app's node:sqlite) stays an import().
  body = body.replace(/\bimport\((?="node:[\w/]+"\))/g, '__mfImport(')
  // Anything else that looks like import() or import.meta (even in a string) keeps the plain module.
  if (/\bimport\s*\(|\bimport\.meta\b/.test(body)) return undefined
  // CommonJS inputs (and ES modules calling require, through esbuild's shim) get createRequire.
  const needsRequire =
    body.includes('Dynamic require of') ||
    output.imports.some((i) => i.external && i.kind.startsWith('require-')) ||
    Object.entries(result.metafile?.inputs ?? {}).some(
      ([path, input]) => input.format === 'cjs' && !path.startsWith('manifold-builtin:'),
    )
  const cache = await train(wrap(body), base.outfile ?? 'cli.mjs')
  if (cache === undefined) return undefined
  const code = loader(hashbang ?? '#!/usr/bin/env node\n', body, needsRequire, process.versions.v8)
  return { code: new TextEncoder().encode(code), cache }
}

/**
 * Runs the CLI body with `--help`, then with `<first command> --help`, the second run starting from
 * the cache of the first, as if from `file`, where cli.mjs will be (import.meta.url and paths
 * relative to it as at run time). Help never calls an operation.
 */
async function train(script: string, file: string): Promise<Uint8Array | undefined> {
  const dir = await mkdtemp(join(tmpdir(), 'manifold-cache-'))
  try {
    const body = join(dir, 'body.js')
    const out = join(dir, 'cli.cache')
    await writeFile(body, script)
    const runBody = (argv: readonly string[], cache: string) =>
      spawnSync(
        process.execPath,
        ['--input-type=module', '-e', trainer, resolve(file), body, cache, ...argv],
        {
          stdio: ['ignore', 'pipe', 'ignore'],
          encoding: 'utf8',
          timeout: 10_000,
          env: { ...process.env, NO_COLOR: '1' },
        },
      )
    // A body that fails its --help as a script keeps the plain module.
    if (runBody(['--help'], out).status !== 0) return undefined
    // Then the help of the first command (its flags from the input schema), found by completion.
    const first = runBody(['__complete', '--', ''], '').stdout.split('\n')[0]
    if (first !== undefined && /^[\w-]+$/.test(first) && !['help', 'completion', 'mcp'].includes(first))
      runBody([first, '--help'], out)
    const cache = await readFile(out).catch(() => undefined)
    return cache === undefined || cache.byteLength === 0 ? undefined : new Uint8Array(cache)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
