/**
 * The notes app: operations, store, config and auth in one value every entry point serves.
 *
 * @module
 */
import { app } from 'manifold'
import pkg from '../../package.json' with { type: 'json' }
import { auth } from './auth.ts'
import { openStore } from './deps.ts'
import { operations } from './operations.ts'
import { Config } from './schemas.ts'

/**
 * The notes app.
 *
 * @example
 * ```ts
 * import { invoke } from 'manifold'
 * import notes from './app.ts'
 * const note = await invoke(notes, 'add', { text: 'Buy milk', tags: ['home'] })
 * ```
 */
export const notes = app({
  name: 'notes',
  version: pkg.version,
  description: 'Notes with tags and full-text search, on SQLite or PostgreSQL',
  operations,
  deps: openStore,
  config: Config,
  auth,
})

export default notes
