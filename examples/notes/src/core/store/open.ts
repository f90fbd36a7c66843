/**
 * Picks the store from the environment: PostgreSQL when `DATABASE_URL` is set, else the
 * SQLite file at `NOTES_DB` or in the XDG data directory.
 *
 * @module
 */
import { mkdirSync } from 'node:fs'
import { homedir } from 'node:os'
import { dirname, join } from 'node:path'
import type { Config } from '../schemas.ts'
import type { Store } from './store.ts'

/** Where the SQLite file lives: `NOTES_DB`, else `$XDG_DATA_HOME/notes/notes.db` (`~/.local/share/...`). */
export function sqlitePath(config: Config): string {
  if (config.NOTES_DB !== undefined && config.NOTES_DB !== '') return config.NOTES_DB
  const data =
    config.XDG_DATA_HOME !== undefined && config.XDG_DATA_HOME !== ''
      ? config.XDG_DATA_HOME
      : join(config.HOME ?? homedir(), '.local', 'share')
  return join(data, 'notes', 'notes.db')
}

/**
 * Opens the store the config names. Drivers load lazily: a process that uses PostgreSQL
 * never loads SQLite, and the other way round.
 *
 * @example
 * ```ts
 * const store = await openStoreFromConfig({ NOTES_DB: '/tmp/notes.db' })
 * ```
 */
export async function openStoreFromConfig(config: Config): Promise<Store> {
  if (config.DATABASE_URL !== undefined && config.DATABASE_URL !== '') {
    const { openPostgresStore } = await import('./postgres.ts')
    return openPostgresStore(config.DATABASE_URL)
  }
  const file = sqlitePath(config)
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true })
  const { openSqliteStore } = await import('./sqlite.ts')
  return openSqliteStore(file, { driver: process.env.NOTES_SQLITE_DRIVER ?? '' })
}
