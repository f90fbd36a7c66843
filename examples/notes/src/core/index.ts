/**
 * The notes library: the app, its operations, schemas and stores.
 *
 * @module
 */
export { notes as default, notes } from './app.ts'
export { type NotesDeps, openStore } from './deps.ts'
export * from './operations.ts'
export * from './schemas.ts'
export { openStoreFromConfig, sqlitePath } from './store/open.ts'
export { openPostgresStore } from './store/postgres.ts'
export { openSqliteStore } from './store/sqlite.ts'
export type { NoteDraft, NotePatch, PageQuery, SearchQuery, Store, UpdateOutcome } from './store/store.ts'
