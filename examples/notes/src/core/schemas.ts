/**
 * The shapes of the notes app: what callers send and what they get back, on every surface.
 *
 * @module
 */
import * as z from 'zod'

/** A note id: a positive integer (`notes get 42`, `GET /notes/42`). */
export const Id = z.number().int().positive().describe('Note id')

/** A tag: trimmed, lower-cased, letters, digits, `-` and `_`. */
export const Tag = z
  .string()
  .trim()
  .toLowerCase()
  .min(1)
  .max(40)
  .regex(
    /^[\p{L}\p{N}][\p{L}\p{N}_-]*$/u,
    'Use letters, digits, "-" and "_", starting with a letter or digit',
  )
  .describe('Tag')

/** The text of a note. */
export const Text = z.string().trim().min(1, 'Write some text').max(100_000).describe('Text of the note')

/** Tags of a note (at most 20; duplicates are dropped). */
export const Tags = z.array(Tag).max(20).describe('Tags')

/** A stored note. */
export const Note = z.object({
  id: Id,
  text: z.string(),
  tags: z.array(z.string()),
  /** Starts at 1 and grows by one on every update: send it back to `update`. */
  version: z.number().int().positive().describe('Version, sent back to update'),
  createdAt: z.string().describe('ISO 8601 time of creation'),
  updatedAt: z.string().describe('ISO 8601 time of the last change'),
})
export type Note = z.output<typeof Note>

/** What `add` takes, and each item of an import. */
export const NewNote = z.object({ text: Text, tags: Tags.optional() })
export type NewNote = z.output<typeof NewNote>

/** A page of notes, newest first. */
export const NotePage = z.object({
  items: z.array(Note),
  nextCursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last one'),
})

/** One search hit: the note, its score (higher is better) and a snippet with `**`-marked terms. */
export const SearchHit = z.object({
  note: Note,
  score: z.number(),
  snippet: z.string(),
})
export type SearchHit = z.output<typeof SearchHit>

/** A tag and how many notes carry it. */
export const TagCount = z.object({ tag: z.string(), count: z.number().int().nonnegative() })
export type TagCount = z.output<typeof TagCount>

/** The outcome of one imported item, streamed as soon as it is stored. */
export const ImportResult = z.union([
  z.object({ index: z.number().int(), source: z.string(), ok: z.literal(true), id: Id }),
  z.object({
    index: z.number().int(),
    source: z.string(),
    ok: z.literal(false),
    error: z.object({ code: z.string(), message: z.string() }),
  }),
])
export type ImportResult = z.output<typeof ImportResult>

/** Environment variables the app reads, validated once at start. */
export const Config = z.object({
  NOTES_DB: z.string().optional().describe('SQLite file (default: $XDG_DATA_HOME/notes/notes.db)'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'Expected a postgres:// URL')
    .optional()
    .describe('PostgreSQL URL; when set, notes live there instead of SQLite'),
  NOTES_TOKEN: z.string().optional().describe('When set, writes need this bearer token'),
  XDG_DATA_HOME: z.string().optional(),
  HOME: z.string().optional(),
})
export type Config = z.output<typeof Config>
