/**
 * Opens a SQLite database with whichever driver this Node can load: `better-sqlite3` (Node
 * 20/22, a native addon built for one Node ABI) or the built-in `node:sqlite` (Node 22.13+,
 * 24). Both are imported lazily, so a bundle that never opens SQLite never loads either.
 *
 * @module
 */

/** The few calls the store needs; both drivers have them with the same meaning. */
export interface SqliteStatement {
  get(...params: unknown[]): unknown
  all(...params: unknown[]): unknown[]
  run(...params: unknown[]): { changes: number | bigint; lastInsertRowid: number | bigint }
}

/** An open database. */
export interface SqliteDb {
  readonly driver: 'better-sqlite3' | 'node:sqlite'
  exec(sql: string): void
  prepare(sql: string): SqliteStatement
  close(): void
}

type Driver = SqliteDb['driver']

interface BetterSqlite {
  exec(sql: string): unknown
  prepare(sql: string): SqliteStatement
  close(): unknown
}

async function openBetter(file: string): Promise<SqliteDb> {
  const mod = (await import('better-sqlite3')) as unknown as {
    default: new (file: string) => BetterSqlite
  }
  const db = new mod.default(file)
  return {
    driver: 'better-sqlite3',
    exec: (sql) => void db.exec(sql),
    prepare: (sql) => db.prepare(sql),
    close: () => void db.close(),
  }
}

async function openBuiltin(file: string): Promise<SqliteDb> {
  // A variable specifier keeps bundlers and Node 20's type checker from resolving a module
  // that does not exist there.
  const name = 'node:sqlite'
  const mod = (await import(name)) as {
    DatabaseSync: new (file: string) => BetterSqlite
  }
  const db = new mod.DatabaseSync(file)
  return {
    driver: 'node:sqlite',
    exec: (sql) => void db.exec(sql),
    prepare: (sql) => db.prepare(sql),
    close: () => void db.close(),
  }
}

const openers: Record<Driver, (file: string) => Promise<SqliteDb>> = {
  'better-sqlite3': openBetter,
  'node:sqlite': openBuiltin,
}

/**
 * Opens `file` with `better-sqlite3`, or with `node:sqlite` when the addon cannot load.
 * `NOTES_SQLITE_DRIVER` forces one of them.
 */
export async function openSqliteDb(file: string, forced?: string): Promise<SqliteDb> {
  if (forced !== undefined && forced !== '') {
    const open = openers[forced as Driver]
    if (open === undefined) {
      throw new TypeError(`Unknown SQLite driver "${forced}": use "better-sqlite3" or "node:sqlite"`)
    }
    return open(file)
  }
  try {
    return await openBetter(file)
  } catch (first) {
    try {
      return await openBuiltin(file)
    } catch {
      throw new Error(
        'Cannot open SQLite: better-sqlite3 did not load (rebuild it with `npm rebuild better-sqlite3`) and this Node has no node:sqlite (use Node 22.13 or later)',
        { cause: first },
      )
    }
  }
}
