/**
 * Starts a throwaway PostgreSQL server from Debian's package for tests: initdb in a temp
 * folder, a socket there, TCP on 127.0.0.1 and a free port; as `nobody` when we are root,
 * since initdb refuses root.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface TestPostgres {
  /** `postgres://…` of a new, empty database. */
  createDatabase(): Promise<string>
  stop(): Promise<void>
}

function findBin(): string | undefined {
  const root = '/usr/lib/postgresql'
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a))
    if (versions[0] !== undefined) return join(root, versions[0], 'bin')
  }
  return undefined
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0))
    })
  })
}

const asUser = (command: string, args: string[]): [string, string[]] =>
  process.getuid?.() === 0
    ? ['setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', command, ...args]]
    : [command, args]

async function waitReady(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const { default: pg } = await import('pg')
  const deadline = Date.now() + 20_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`postgres exited with ${child.exitCode}: ${log()}`)
    const client = new pg.Client({ connectionString: url })
    try {
      await client.connect()
      await client.end()
      return
    } catch (error) {
      await client.end().catch(() => undefined)
      if (Date.now() > deadline) throw new Error(`postgres did not start in 20 s: ${String(error)}: ${log()}`)
      await new Promise((r) => setTimeout(r, 100))
    }
  }
}

/** Starts PostgreSQL, or explains why it cannot (no package, initdb failed). */
export async function startPostgres(): Promise<TestPostgres> {
  const bin = findBin()
  if (bin === undefined) throw new Error('PostgreSQL is not installed: apt-get install postgresql')
  const dir = mkdtempSync(join(tmpdir(), 'notes-pg-'))
  if (process.getuid?.() === 0) chownSync(dir, 65534, 65534)
  const data = join(dir, 'data')
  const [initCmd, initArgs] = asUser(join(bin, 'initdb'), [
    '-D',
    data,
    '-U',
    'notes',
    '--auth=trust',
    '-E',
    'UTF8',
    '--no-locale',
  ])
  try {
    execFileSync(initCmd, initArgs, { stdio: 'pipe', cwd: dir })
  } catch (error) {
    rmSync(dir, { recursive: true, force: true })
    const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? ''
    throw new Error(`initdb failed: ${stderr || String(error)}`)
  }
  const port = await freePort()
  const [cmd, args] = asUser(join(bin, 'postgres'), [
    '-D',
    data,
    '-k',
    dir,
    '-p',
    String(port),
    '-c',
    'listen_addresses=127.0.0.1',
    // Throwaway data: skip the disk flushes to keep tests quick.
    '-c',
    'fsync=off',
    '-c',
    'synchronous_commit=off',
    '-c',
    'full_page_writes=off',
  ])
  const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], cwd: dir })
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000)
  })
  const base = `postgres://notes@127.0.0.1:${port}`
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r))
      child.kill('SIGINT')
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))])
      if (child.exitCode === null) child.kill('SIGKILL')
    }
    rmSync(dir, { recursive: true, force: true })
  }
  try {
    await waitReady(`${base}/postgres`, child, () => stderr)
  } catch (error) {
    await stop()
    throw error
  }
  let n = 0
  return {
    async createDatabase() {
      const { default: pg } = await import('pg')
      const name = `notes_${++n}`
      const client = new pg.Client({ connectionString: `${base}/postgres` })
      await client.connect()
      try {
        await client.query(`CREATE DATABASE ${name}`)
      } finally {
        await client.end()
      }
      return `${base}/${name}`
    },
    stop,
  }
}

/** What {@link startPostgresOrSkip} gives: the server, or why it could not start. */
export type PostgresStart =
  | { server: TestPostgres; reason?: undefined }
  | { server?: undefined; reason: string }

/**
 * Starts PostgreSQL for a suite, or says why not: in CI a server that cannot start fails the
 * suite; elsewhere (no Debian package installed) the suite is skipped with a warning.
 */
export async function startPostgresOrSkip(what: string): Promise<PostgresStart> {
  try {
    return { server: await startPostgres() }
  } catch (error) {
    if (process.env.CI === 'true') throw error
    console.warn(`Skipping ${what}: ${String(error)}`)
    return { reason: String(error) }
  }
}
