/**
 * The app's dependencies, created once per process, and their types for every handler.
 *
 * @module
 */
import type { DepsFactory } from 'manifold'
import type { Config } from './schemas.ts'
import { openStoreFromConfig } from './store/open.ts'
import type { Store } from './store/store.ts'

/** What `ctx.deps` holds. */
export interface NotesDeps {
  readonly store: Store
  close(): Promise<void>
}

declare module 'manifold' {
  interface Register {
    deps: NotesDeps
    config: Config
    principal: { readonly user: string }
  }
}

/**
 * Opens the store named by the environment; `close()` releases it on shutdown.
 *
 * @example
 * ```ts
 * const deps = await openStore({ config: { NOTES_DB: '/tmp/n.db' }, log })
 * ```
 */
export const openStore: DepsFactory = async ({ config, log }) => {
  const store = await openStoreFromConfig(config)
  log.debug('store opened', { store: store.kind })
  return { store, close: () => store.close() }
}
