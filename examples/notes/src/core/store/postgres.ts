/**
 * The shared store: PostgreSQL through `pg`, for many HTTP instances and Lambda functions at
 * once. Full-text search with a generated `tsvector`, `ts_rank` and `ts_headline`.
 *
 * @module
 */
import type { Note, SearchHit, TagCount } from '../schemas.ts'
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

const migrations: readonly { readonly name: string; readonly sql: string }[] = [
  {
    name: 'notes, tags and full-text index',
    sql: `
      CREATE TABLE notes (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        text text NOT NULL,
        tags text[] NOT NULL DEFAULT '{}',
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        search tsvector GENERATED ALWAYS AS (to_tsvector('english', text)) STORED
      );
      CREATE INDEX notes_tags ON notes USING gin (tags);
      CREATE INDEX notes_search ON notes USING gin (search);
    `,
  },
]

// Advisory lock key for migrations, so that instances starting together migrate once.
const migrationLock = 7_301_234

interface Row {
  id: string
  text: string
  tags: string[]
  version: number
  created_at: Date
  updated_at: Date
}

const toNote = (r: Row): Note => ({
  id: Number(r.id),
  text: r.text,
  tags: r.tags,
  version: r.version,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
})

interface Client {
  query<R>(sql: string, params?: unknown[]): Promise<{ rows: R[]; rowCount: number | null }>
  release(): void
}
interface Pool {
  query<R>(sql: string, params?: unknown[]): Promise<{ rows: R[]; rowCount: number | null }>
  connect(): Promise<Client>
  end(): Promise<void>
  on(event: 'error', listener: (error: Error) => void): unknown
}

async function transaction<T>(pool: Pool, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = await pool.connect()
  try {
    await client.query('BEGIN')
    const result = await fn(client)
    await client.query('COMMIT')
    return result
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined)
    throw error
  } finally {
    client.release()
  }
}

async function migrate(pool: Pool): Promise<void> {
  await transaction(pool, async (c) => {
    await c.query('SELECT pg_advisory_xact_lock($1)', [migrationLock])
    await c.query(
      'CREATE TABLE IF NOT EXISTS migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())',
    )
    const { rows } = await c.query<{ v: number | null }>('SELECT max(version) AS v FROM migrations')
    for (let i = rows[0]?.v ?? 0; i < migrations.length; i++) {
      await c.query(migrations[i]!.sql)
      await c.query('INSERT INTO migrations (version, name) VALUES ($1, $2)', [i + 1, migrations[i]!.name])
    }
  })
}

/**
 * Connects to PostgreSQL at `url` and migrates the schema.
 *
 * @example
 * ```ts
 * const store = await openPostgresStore('postgres://notes@127.0.0.1:5432/notes')
 * await store.add({ text: 'Buy milk', tags: ['home'] })
 * await store.close()
 * ```
 */
export async function openPostgresStore(url: string): Promise<Store> {
  const pg = (await import('pg')) as unknown as { default: { Pool: new (o: object) => Pool } }
  const pool = new pg.default.Pool({ connectionString: url, max: 5 })
  // An idle client that loses its connection must not crash the process.
  pool.on('error', () => undefined)
  try {
    await migrate(pool)
  } catch (error) {
    await pool.end()
    throw error
  }
  const insert = async (c: Client | Pool, drafts: readonly NoteDraft[]): Promise<Note[]> => {
    if (drafts.length === 0) return []
    const { rows } = await c.query<Row>(
      `INSERT INTO notes (text, tags)
       SELECT d.text, ARRAY(SELECT jsonb_array_elements_text(d.tags::jsonb))
       FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS d(text, tags, n) ORDER BY d.n
       RETURNING id, text, tags, version, created_at, updated_at`,
      [drafts.map((d) => d.text), drafts.map((d) => JSON.stringify(d.tags))],
    )
    return rows.map(toNote).sort((a, b) => a.id - b.id)
  }
  return {
    kind: 'postgres',
    add: async (draft) => (await insert(pool, [draft]))[0]!,
    addMany: (drafts) => transaction(pool, (c) => insert(c, drafts)),
    get: async (id) => {
      const { rows } = await pool.query<Row>('SELECT * FROM notes WHERE id = $1', [id])
      return rows[0] === undefined ? undefined : toNote(rows[0])
    },
    page: async ({ tag, limit, after, order = 'desc' }: PageQuery) => {
      const cmp = order === 'desc' ? '<' : '>'
      const { rows } = await pool.query<Row>(
        `SELECT * FROM notes WHERE ($1::text IS NULL OR tags @> ARRAY[$1::text])
           AND ($2::bigint IS NULL OR id ${cmp} $2) ORDER BY id ${order} LIMIT $3`,
        [tag ?? null, after ?? null, limit],
      )
      return rows.map(toNote)
    },
    search: async ({ q, tag, limit }: SearchQuery): Promise<SearchHit[]> => {
      const terms = searchTerms(q)
      if (terms.length === 0) return []
      const { rows } = await pool.query<Row & { score: number; snippet: string }>(
        `SELECT n.*, ts_rank(n.search, query) AS score,
           ts_headline('english', n.text, query,
             'StartSel=${snippetMark}, StopSel=${snippetMark}, MaxWords=16, MinWords=5, MaxFragments=1, FragmentDelimiter=" … "') AS snippet
         FROM notes n, plainto_tsquery('english', $1) AS query
         WHERE n.search @@ query AND ($2::text IS NULL OR n.tags @> ARRAY[$2::text])
         ORDER BY score DESC, n.id DESC LIMIT $3`,
        [terms.join(' '), tag ?? null, limit],
      )
      return rows.map((r) => ({
        note: toNote(r),
        score: r.score,
        snippet: r.snippet,
      }))
    },
    update: (id, version, patch: NotePatch) =>
      transaction(pool, async (c): Promise<UpdateOutcome> => {
        const { rows } = await c.query<Row>('SELECT * FROM notes WHERE id = $1 FOR UPDATE', [id])
        const current = rows[0]
        if (current === undefined) return { status: 'not_found' }
        if (current.version !== version) return { status: 'conflict', current: current.version }
        const updated = await c.query<Row>(
          `UPDATE notes SET text = $1, tags = $2, version = version + 1, updated_at = now()
           WHERE id = $3 RETURNING *`,
          [patch.text ?? current.text, patch.tags ?? current.tags, id],
        )
        return { status: 'updated', note: toNote(updated.rows[0]!) }
      }),
    remove: async (id) => ((await pool.query('DELETE FROM notes WHERE id = $1', [id])).rowCount ?? 0) > 0,
    tags: async () => {
      const { rows } = await pool.query<{ tag: string; count: string }>(
        'SELECT tag, count(*) AS count FROM notes, unnest(tags) AS tag GROUP BY tag ORDER BY count(*) DESC, tag COLLATE "C"',
      )
      return rows.map((r): TagCount => ({ tag: r.tag, count: Number(r.count) }))
    },
    close: () => pool.end(),
  }
}
