/**
 * The operations of the notes app: written once, served by the CLI, HTTP, Lambda and MCP.
 *
 * @module
 */
import { Conflict, invalidInput, NotFound, op } from 'manifold'
import * as z from 'zod'
import { needsToken } from './auth.ts'
import { readImport } from './import-source.ts'
import { Id, ImportResult, NewNote, Note, NotePage, SearchHit, Tag, TagCount, Tags, Text } from './schemas.ts'

const unique = (tags: readonly string[] | undefined) => [...new Set(tags ?? [])]

const noNote = (id: number) =>
  NotFound.throw(`No note with id "${id}"`, { hint: 'List the notes with `notes list` to find its id' })

/** Cursors are opaque to callers: the last id of the page, base64url-encoded. */
export function encodeCursor(id: number): string {
  return btoa(`id:${id}`).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

function decodeCursor(cursor: string): number {
  let text = ''
  try {
    text = atob(cursor.replace(/-/g, '+').replace(/_/g, '/'))
  } catch {
    // falls through to the error below
  }
  const match = /^id:([1-9][0-9]{0,15})$/.exec(text)
  if (match === null) {
    throw invalidInput([
      { path: 'cursor', message: `Cannot read cursor "${cursor}": pass the nextCursor of a page` },
    ])
  }
  return Number(match[1])
}

export const add = op({
  name: 'add',
  auth: needsToken,
  description: 'Add a note',
  input: z.object({ text: Text, tags: Tags.optional() }),
  output: Note,
  http: { method: 'POST', path: '/notes', status: 201 },
  cli: {
    positional: ['text'],
    aliases: { tags: 't' },
    examples: ['add "Buy milk" --tags home --tags errands'],
  },
  handler: ({ text, tags }, ctx) => ctx.deps.store.add({ text, tags: unique(tags) }),
})

export const get = op({
  name: 'get',
  description: 'Show one note',
  input: z.object({ id: Id }),
  output: Note,
  readOnly: true,
  http: { method: 'GET', path: '/notes/{id}' },
  cli: { positional: ['id'], examples: ['get 42'] },
  handler: async ({ id }, ctx) => (await ctx.deps.store.get(id)) ?? noNote(id),
})

export const list = op({
  name: 'list',
  description: 'List notes, newest first, a page at a time',
  input: z.object({
    tag: Tag.optional().describe('Only notes with this tag'),
    limit: z.number().int().min(1).max(100).default(20).describe('Notes per page'),
    cursor: z.string().max(200).optional().describe('nextCursor of the previous page'),
  }),
  output: NotePage,
  readOnly: true,
  http: { method: 'GET', path: '/notes' },
  cli: { aliases: { tag: 't', limit: 'n' }, examples: ['list', 'list --tag home --limit 5'] },
  handler: async ({ tag, limit, cursor }, ctx) => {
    const after = cursor === undefined ? undefined : decodeCursor(cursor)
    // One extra row tells whether there is a next page without a count query.
    const rows = await ctx.deps.store.page({ tag, limit: limit + 1, after })
    const items = rows.slice(0, limit)
    const last = items.at(-1)
    return { items, nextCursor: rows.length > limit && last !== undefined ? encodeCursor(last.id) : null }
  },
})

export const search = op({
  name: 'search',
  description: 'Search the text of notes; best matches first, with a snippet',
  input: z.object({
    q: z.string().trim().min(1, 'Give some words to search for').max(500).describe('Words to find'),
    tag: Tag.optional().describe('Only notes with this tag'),
    limit: z.number().int().min(1).max(50).default(10).describe('Most hits to return'),
  }),
  output: z.object({ items: z.array(SearchHit) }),
  readOnly: true,
  http: { method: 'GET', path: '/notes/search' },
  cli: {
    positional: ['q'],
    aliases: { tag: 't', limit: 'n' },
    examples: ['search milk', 'search "weekly review" -n 3'],
  },
  handler: async (query, ctx) => ({ items: await ctx.deps.store.search(query) }),
})

export const update = op({
  name: 'update',
  auth: needsToken,
  description: 'Change a note; fails with a conflict when it changed since the version you read',
  input: z
    .object({
      id: Id,
      version: z.number().int().positive().describe('The version you last read (from get or list)'),
      text: Text.optional(),
      tags: Tags.optional().describe('Replaces the tags'),
    })
    .refine((v) => v.text !== undefined || v.tags !== undefined, {
      message: 'Give "text", "tags" or both',
    }),
  output: Note,
  idempotent: true,
  http: { method: 'PATCH', path: '/notes/{id}' },
  cli: {
    positional: ['id'],
    aliases: { tags: 't' },
    examples: ['update 42 --version 1 --text "Buy oat milk"'],
  },
  handler: async ({ id, version, text, tags }, ctx) => {
    const outcome = await ctx.deps.store.update(id, version, {
      text,
      tags: tags === undefined ? undefined : unique(tags),
    })
    if (outcome.status === 'updated') return outcome.note
    if (outcome.status === 'not_found') return noNote(id)
    throw new Conflict(`Note "${id}" is at version ${outcome.current}, not ${version}`, {
      hint: 'Read the note again, then apply your change to the new version',
    })
  },
})

export const remove = op({
  name: 'remove',
  auth: needsToken,
  description: 'Delete a note for good',
  input: z.object({ id: Id }),
  destructive: true,
  http: { method: 'DELETE', path: '/notes/{id}' },
  cli: { positional: ['id'], examples: ['remove 42 --yes'] },
  handler: async ({ id }, ctx): Promise<void> => {
    if (!(await ctx.deps.store.remove(id))) noNote(id)
  },
})

export const tagsList = op({
  name: 'tags.list',
  description: 'List tags with how many notes carry each',
  output: z.object({ items: z.array(TagCount) }),
  readOnly: true,
  http: { method: 'GET', path: '/tags' },
  cli: { examples: ['tags list'] },
  handler: async (_input, ctx) => ({ items: await ctx.deps.store.tags() }),
})

/** Items stored per transaction: small enough to acknowledge often, large enough to be fast. */
const importBatch = 50

export const importNotes = op({
  name: 'import',
  auth: needsToken,
  description:
    'Import notes from a JSON array, NDJSON text, or (CLI only) a .json/.ndjson file or a folder of Markdown files; streams one result per item',
  input: z.object({
    notes: z.array(z.unknown()).max(100_000).optional().describe('Notes as { text, tags? } objects'),
    ndjson: z
      .string()
      .max(16 * 1024 * 1024)
      .optional()
      .describe('One { text, tags? } JSON object per line'),
    path: z
      .string()
      .min(1)
      .optional()
      .describe('A .json or .ndjson file, or a folder of .md files (CLI only)'),
  }),
  output: ImportResult,
  http: { method: 'POST', path: '/notes/import' },
  cli: { positional: ['path'], examples: ['import ./notes.ndjson', 'import ./my-notes/'] },
  async *handler(input, ctx) {
    const items = await readImport(input, ctx.surface)
    const total = items.length
    ctx.progress(0, total, 'importing')
    for (let start = 0; start < total; start += importBatch) {
      const batch = items.slice(start, start + importBatch)
      const checked = batch.map((item) => {
        if (item.error !== undefined) return { error: item.error }
        const parsed = NewNote.safeParse(item.value)
        if (parsed.success) return { draft: { text: parsed.data.text, tags: unique(parsed.data.tags) } }
        return {
          error: parsed.error.issues.map((i) => `${i.path.join('.') || 'note'}: ${i.message}`).join('; '),
        }
      })
      // The batch commits before any of its results is sent: an acknowledged note is stored.
      const stored = await ctx.deps.store.addMany(checked.flatMap((c) => (c.draft ? [c.draft] : [])))
      let next = 0
      for (let i = 0; i < batch.length; i++) {
        const c = checked[i]!
        const index = start + i
        const source = batch[i]!.source
        if (c.draft !== undefined) {
          yield { index, source, ok: true as const, id: stored[next++]!.id }
        } else {
          yield {
            index,
            source,
            ok: false as const,
            error: { code: 'invalid_input', message: c.error ?? '' },
          }
        }
      }
      ctx.progress(Math.min(start + importBatch, total), total, 'importing')
    }
  },
})

export const exportNotes = op({
  name: 'export',
  description: 'Stream every note as NDJSON, oldest first',
  input: z.object({ tag: Tag.optional().describe('Only notes with this tag') }),
  output: Note,
  readOnly: true,
  http: { method: 'GET', path: '/notes/export' },
  cli: { examples: ['export > backup.ndjson'] },
  async *handler({ tag }, ctx) {
    let after: number | undefined
    for (;;) {
      const page = await ctx.deps.store.page({ tag, limit: 500, after, order: 'asc' })
      yield* page
      if (page.length < 500) return
      after = page.at(-1)!.id
    }
  },
})

/** Every operation, in the order help lists them. */
export const operations = [
  add,
  get,
  list,
  search,
  update,
  remove,
  tagsList,
  importNotes,
  exportNotes,
] as const
