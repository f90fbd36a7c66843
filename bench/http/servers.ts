/** The servers the HTTP benchmarks run, each a file of `peers/`, compiled by `build.ts`. */
import type { ChildProcess } from 'node:child_process'

export interface BenchServer {
  readonly name: string
  /** `peers/<file>.ts` */
  readonly file: string
  readonly path: string
  readonly env?: Record<string, string>
  /** Subfolder of the build output (the `--base` build). */
  readonly dir?: string
}

/**
 * Every server, the ceiling first; with `base`, manifold as it was at that commit too; `only`
 * keeps the servers whose name contains one of its comma-separated words.
 */
export function benchServers(base: string | undefined, only: string | undefined): BenchServer[] {
  const manifold = (name: string, extra: Partial<BenchServer>): BenchServer[] => [
    { name, file: 'manifold', path: '/users/create', env: { ACCESS_LOG: '0' }, ...extra },
    { name: `${name} + access log`, file: 'manifold', path: '/users/create', ...extra },
  ]
  const all: BenchServer[] = [
    { name: 'node:http + zod (ceiling)', file: 'ceiling', path: '/users/create' },
    ...manifold('manifold', {}),
    ...(base === undefined ? [] : manifold(`manifold @${base}`, { dir: 'base' })),
    { name: 'fastify', file: 'fastify', path: '/users/create' },
    { name: 'fastify + logger', file: 'fastify', path: '/users/create', env: { FASTIFY_LOGGER: '1' } },
    { name: 'hono (node-server)', file: 'hono', path: '/users/create' },
    { name: 'express', file: 'express', path: '/users/create' },
    { name: 'trpc standalone', file: 'trpc', path: '/users.create' },
    { name: 'incur fetch', file: 'incur', path: '/users/create' },
  ]
  return all.filter((s) => only === undefined || only.split(',').some((o) => s.name.includes(o)))
}

/** The port a started server reports on stdout (`listening <port>`); rejects if it exits first. */
export function listeningPort(child: ChildProcess, name: string): Promise<number> {
  return new Promise((resolve, reject) => {
    let out = ''
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString()
      const m = /listening (\d+)/.exec(out)
      if (m !== null) resolve(Number(m[1]))
    })
    child.on('exit', (code) => reject(new Error(`${name} exited with ${code}`)))
  })
}
