/**
 * The embedded default store: one SQLite file, WAL journal, numbered migrations, FTS5 with
 * bm25 ranking and snippet() for search.
 *
 * @module
 */
import type { Note, SearchHit, TagCount } from '../schemas.ts'
import { openSqliteDb, type SqliteDb } from './sqlite-driver.ts'
import {
  type NoteDraft,
  type NotePatch,
  type PageQuery,
  type SearchQuery,
  type Store,
  searchTerms,
  snippetMark,
  type UpdateOutcome,
} from './store.ts'

/** Schema changes, applied in order, each once, each in its own transaction. */
const migrations: readonly { readonly name: string; readonly sql: string }[] = [
  {
    name: 'notes, tags and full-text index',
    sql: `
      CREATE TABLE notes (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        text TEXT NOT NULL,
        tags TEXT NOT NULL DEFAULT '[]',
        version INTEGER NOT NULL DEFAULT 1,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE TABLE note_tags (
        tag TEXT NOT NULL,
        note_id INTEGER NOT NULL REFERENCES notes(id) ON DELETE CASCADE,
        PRIMARY KEY (tag, note_id)
      ) WITHOUT ROWID;
      CREATE INDEX note_tags_note ON note_tags(note_id);
      CREATE VIRTUAL TABLE notes_fts USING fts5(
        text, content='notes', content_rowid='id', tokenize='porter unicode61 remove_diacritics 2'
      );
      CREATE TRIGGER notes_ai AFTER INSERT ON notes BEGIN
        INSERT INTO notes_fts(rowid, text) VALUES (new.id, new.text);
      END;
      CREATE TRIGGER notes_ad AFTER DELETE ON notes BEGIN
        INSERT INTO notes_fts(notes_fts, rowid, text) VALUES ('delete', old.id, old.text);
      END;
      CREATE TRIGGER notes_au AFTER UPDATE OF text ON notes BEGIN
        INSERT INTO notes_fts(notes_fts, rowid, text) VALUES ('delete', old.id, old.text);
        INSERT INTO notes_fts(rowid, text) VALUES (new.id, new.text);
      END;
    `,
  },
]

interface Row {
  id: number
  text: string
  tags: string
  version: number
  created_at: string
  updated_at: string
}

const toNote = (r: Row): Note => ({
  id: r.id,
  text: r.text,
  tags: JSON.parse(r.tags) as string[],
  version: r.version,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
})

function migrate(db: SqliteDb): void {
  db.exec(
    'CREATE TABLE IF NOT EXISTS migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
  )
  const applied = db.prepare('SELECT max(version) AS v FROM migrations').get() as { v: number | null }
  for (let i = applied.v ?? 0; i < migrations.length; i++) {
    const m = migrations[i]!
    transaction(db, () => {
      // Another process may have migrated between our read and this lock.
      const again = db.prepare('SELECT 1 FROM migrations WHERE version = ?').get(i + 1)
      if (again !== undefined) return
      db.exec(m.sql)
      db.prepare('INSERT INTO migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        i + 1,
        m.name,
        new Date().toISOString(),
      )
    })
  }
}

function transaction<T>(db: SqliteDb, fn: () => T): T {
  db.exec('BEGIN IMMEDIATE')
  try {
    const result = fn()
    db.exec('COMMIT')
    return result
  } catch (error) {
    db.exec('ROLLBACK')
    throw error
  }
}

const noteColumns = 'n.id, n.text, n.tags, n.version, n.created_at, n.updated_at'

/**
 * Opens (and creates or migrates) the SQLite store at `file`.
 *
 * @example
 * ```ts
 * const store = await openSqliteStore('/tmp/notes.db')
 * const note = await store.add({ text: 'Buy milk', tags: ['home'] })
 * await store.close()
 * ```
 */
export async function openSqliteStore(file: string, options: { driver?: string } = {}): Promise<Store> {
  const db = await openSqliteDb(file, options.driver)
  try {
    db.exec('PRAGMA busy_timeout = 5000')
    db.exec('PRAGMA journal_mode = WAL')
    // NORMAL in WAL mode: a committed transaction survives a crash of the process (not of the OS).
    db.exec('PRAGMA synchronous = NORMAL')
    db.exec('PRAGMA foreign_keys = ON')
    migrate(db)
  } catch (error) {
    db.close()
    throw error
  }
  const q = {
    insert: db.prepare(
      'INSERT INTO notes (text, tags, version, created_at, updated_at) VALUES (?, ?, 1, ?, ?) RETURNING *',
    ),
    insertTag: db.prepare('INSERT OR IGNORE INTO note_tags (tag, note_id) VALUES (?, ?)'),
    deleteTags: db.prepare('DELETE FROM note_tags WHERE note_id = ?'),
    get: db.prepare('SELECT * FROM notes WHERE id = ?'),
    update: db.prepare(
      'UPDATE notes SET text = ?, tags = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ? RETURNING *',
    ),
    remove: db.prepare('DELETE FROM notes WHERE id = ?'),
    tags: db.prepare('SELECT tag, count(*) AS count FROM note_tags GROUP BY tag ORDER BY count DESC, tag'),
  }
  const pages = new Map<string, ReturnType<SqliteDb['prepare']>>()
  const pageStatement = (order: 'asc' | 'desc', tagged: boolean) => {
    const key = `${order}:${tagged}`
    let statement = pages.get(key)
    if (statement === undefined) {
      const cmp = order === 'desc' ? '<' : '>'
      statement = db.prepare(
        tagged
          ? `SELECT ${noteColumns} FROM note_tags t JOIN notes n ON n.id = t.note_id WHERE t.tag = ? AND (? IS NULL OR n.id ${cmp} ?) ORDER BY n.id ${order} LIMIT ?`
          : `SELECT ${noteColumns} FROM notes n WHERE (? IS NULL OR n.id ${cmp} ?) ORDER BY n.id ${order} LIMIT ?`,
      )
      pages.set(key, statement)
    }
    return statement
  }
  const search = db.prepare(
    `SELECT ${noteColumns}, -bm25(notes_fts) AS score,
       snippet(notes_fts, 0, '${snippetMark}', '${snippetMark}', '…', 16) AS snippet
     FROM notes_fts JOIN notes n ON n.id = notes_fts.rowid
     WHERE notes_fts MATCH ?
       AND (? IS NULL OR EXISTS (SELECT 1 FROM note_tags t WHERE t.note_id = n.id AND t.tag = ?))
     ORDER BY bm25(notes_fts), n.id DESC LIMIT ?`,
  )

  const insert = (draft: NoteDraft): Note => {
    const now = new Date().toISOString()
    const row = q.insert.get(draft.text, JSON.stringify(draft.tags), now, now) as Row
    for (const tag of draft.tags) q.insertTag.run(tag, row.id)
    return toNote(row)
  }

  return {
    kind: `sqlite (${db.driver})`,
    add: async (draft) => transaction(db, () => insert(draft)),
    addMany: async (drafts) => transaction(db, () => drafts.map(insert)),
    get: async (id) => {
      const row = q.get.get(id) as Row | undefined
      return row === undefined ? undefined : toNote(row)
    },
    page: async ({ tag, limit, after, order = 'desc' }: PageQuery) => {
      const statement = pageStatement(order, tag !== undefined)
      const cursor = after ?? null
      const rows = (
        tag !== undefined ? statement.all(tag, cursor, cursor, limit) : statement.all(cursor, cursor, limit)
      ) as Row[]
      return rows.map(toNote)
    },
    search: async ({ q: text, tag, limit }: SearchQuery): Promise<SearchHit[]> => {
      const terms = searchTerms(text)
      if (terms.length === 0) return []
      const match = terms.map((t) => `"${t}"`).join(' ')
      const rows = search.all(match, tag ?? null, tag ?? null, limit) as (Row & {
        score: number
        snippet: string
      })[]
      return rows.map((r) => ({ note: toNote(r), score: r.score, snippet: r.snippet }))
    },
    update: async (id, version, patch: NotePatch): Promise<UpdateOutcome> =>
      transaction(db, () => {
        const current = q.get.get(id) as Row | undefined
        if (current === undefined) return { status: 'not_found' }
        if (current.version !== version) return { status: 'conflict', current: current.version }
        const tags = patch.tags ?? (JSON.parse(current.tags) as string[])
        const row = q.update.get(
          patch.text ?? current.text,
          JSON.stringify(tags),
          new Date().toISOString(),
          id,
          version,
        ) as Row
        if (patch.tags !== undefined) {
          q.deleteTags.run(id)
          for (const tag of tags) q.insertTag.run(tag, id)
        }
        return { status: 'updated', note: toNote(row) }
      }),
    remove: async (id) => transaction(db, () => Number(q.remove.run(id).changes) > 0),
    tags: async () => (q.tags.all() as TagCount[]).map(({ tag, count }) => ({ tag, count })),
    close: async () => db.close(),
  }
}
