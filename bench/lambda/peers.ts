/**
 * The handlers of the Lambda benchmark and how each is bundled, shared by `run.ts` (times) and
 * `instructions.ts` (instruction counts).
 */
import { mkdirSync, readFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'
import { handlerBundle } from './bundle-options.ts'

export const here = new URL('.', import.meta.url).pathname

export interface Peer {
  readonly name: string
  readonly file: string
  /** Path fragments of the framework's own code in the bundle. */
  readonly own: RegExp
  readonly path: string
  readonly query: string
}

export const peers: Peer[] = [
  {
    name: 'hand-written (ceiling)',
    file: 'handwritten',
    own: /handlers\/handwritten/,
    path: '/hello/Ada',
    query: '',
  },
  { name: 'manifold', file: 'manifold', own: /packages\/manifold\/src\//, path: '/hello/Ada', query: '' },
  { name: 'hono/aws-lambda', file: 'hono', own: /node_modules\/hono\//, path: '/hello/Ada', query: '' },
  {
    name: 'tRPC aws-lambda',
    file: 'trpc',
    own: /node_modules\/@trpc\//,
    path: '/hello',
    query: `input=${encodeURIComponent('{"name":"Ada"}')}`,
  },
  {
    name: 'Powertools event handler',
    file: 'powertools',
    own: /node_modules\/@aws-lambda-powertools\//,
    path: '/hello/Ada',
    query: '',
  },
  { name: 'middy (core)', file: 'middy', own: /node_modules\/@middy\//, path: '/hello/Ada', query: '' },
]

export function v2Event(path: string, query: string): Record<string, unknown> {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: query,
    headers: {
      accept: 'application/json',
      host: 'r3pmxmplak.execute-api.us-east-1.amazonaws.com',
      'user-agent': 'curl/8.5.0',
      'x-forwarded-for': '203.0.113.7',
      'x-forwarded-port': '443',
      'x-forwarded-proto': 'https',
    },
    ...(query === '' ? {} : { queryStringParameters: Object.fromEntries(new URLSearchParams(query)) }),
    requestContext: {
      accountId: '123456789012',
      apiId: 'r3pmxmplak',
      domainName: 'r3pmxmplak.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'r3pmxmplak',
      http: { method: 'GET', path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'curl/8.5.0' },
      requestId: 'JKJaXmPLvHcESHA=',
      routeKey: '$default',
      stage: '$default',
      time: '10/Mar/2026:00:00:00 +0000',
      timeEpoch: 1773100800000,
    },
    isBase64Encoded: false,
  }
}

/** One bundled handler: its file, sizes and the event it answers. */
export interface Bundled {
  readonly peer: Peer
  readonly bundle: string
  /** Minified bytes, gzip bytes, and the framework's own bytes in the bundle. */
  readonly min: number
  readonly gzip: number
  readonly own: number
  /** The API Gateway v2 event of the benchmark, as JSON. */
  readonly event: string
}

/** Bundles a peer's handler into `out` as every handler of the benchmark is bundled. */
export async function bundlePeer(peer: Peer, out = `${here}.tmp`): Promise<Bundled> {
  mkdirSync(out, { recursive: true })
  const bundle = `${out}/${peer.file}.mjs`
  const result = await build({
    ...handlerBundle,
    entryPoints: [`${here}handlers/${peer.file}.ts`],
    outfile: bundle,
  })
  const output = Object.values(result.metafile.outputs)[0]
  let own = 0
  for (const [file, info] of Object.entries(output?.inputs ?? {}))
    if (peer.own.test(file)) own += info.bytesInOutput
  const code = readFileSync(bundle)
  return {
    peer,
    bundle,
    min: code.byteLength,
    gzip: gzipSync(code).byteLength,
    own,
    event: JSON.stringify(v2Event(peer.path, peer.query)),
  }
}
