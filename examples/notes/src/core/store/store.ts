/**
 * The storage interface of the notes app. Two implementations (SQLite, PostgreSQL) pass
 * one shared test suite (`test/store.suite.ts`).
 *
 * @module
 */
import type { Note, SearchHit, TagCount } from '../schemas.ts'

/** A note to insert, already validated and normalized. */
export interface NoteDraft {
  readonly text: string
  readonly tags: readonly string[]
}

/** One page of a listing. `after` continues past that id in the chosen order. */
export interface PageQuery {
  readonly tag?: string | undefined
  readonly limit: number
  readonly after?: number | undefined
  /** `desc` (newest first, the default) or `asc` (export). */
  readonly order?: 'asc' | 'desc'
}

/** A full-text query. */
export interface SearchQuery {
  readonly q: string
  readonly tag?: string | undefined
  readonly limit: number
}

/** A change to a note, applied only when `version` is still the stored one. */
export interface NotePatch {
  readonly text?: string | undefined
  readonly tags?: readonly string[] | undefined
}

/** What `update` found. */
export type UpdateOutcome =
  | { readonly status: 'updated'; readonly note: Note }
  | { readonly status: 'not_found' }
  | { readonly status: 'conflict'; readonly current: number }

/** Where notes live. Every method is atomic; `addMany` commits all drafts in one transaction. */
export interface Store {
  /** `sqlite` or `postgres`, and which driver. */
  readonly kind: string
  add(draft: NoteDraft): Promise<Note>
  addMany(drafts: readonly NoteDraft[]): Promise<Note[]>
  get(id: number): Promise<Note | undefined>
  page(query: PageQuery): Promise<Note[]>
  search(query: SearchQuery): Promise<SearchHit[]>
  update(id: number, version: number, patch: NotePatch): Promise<UpdateOutcome>
  remove(id: number): Promise<boolean>
  tags(): Promise<TagCount[]>
  close(): Promise<void>
}

/** The terms of a user's search string, for a query that cannot be a syntax error. */
export function searchTerms(q: string): string[] {
  return q
    .toLowerCase()
    .split(/[^\p{L}\p{N}_]+/u)
    .filter((t) => t.length > 0)
    .slice(0, 32)
}

/** Marks the start and end of a matched term in snippets, on both stores. */
export const snippetMark = '**'
