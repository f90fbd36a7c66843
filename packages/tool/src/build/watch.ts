/**
 * `manifold build --watch` and `manifold dev`: esbuild contexts that rebuild an entry whenever one of
 * its inputs changes, then hand the fresh bundle to a callback.
 *
 * @module
 */
import { context, type Plugin } from 'esbuild'
import type { EntryKind, ManifoldConfig } from '../config.ts'
import { type Bundle, type BundleEntryOptions, esbuildOptions, toBundle } from './bundle.ts'

/** Options of {@link watchEntries}. */
export interface WatchEntriesOptions extends BundleEntryOptions {
  /** Stops watching when aborted. */
  readonly signal: AbortSignal
  /** Called after every successful build of an entry. */
  readonly onBundle: (bundle: Bundle) => void | Promise<void>
  /** Called with esbuild's messages when a build fails (the watch goes on). */
  readonly onError: (kind: EntryKind, message: string) => void
}

/**
 * Watches entries until the signal aborts; resolves once every context is disposed.
 *
 * @example
 * ```ts
 * const controller = new AbortController()
 * await watchEntries(config, ['server'], { signal: controller.signal, onBundle: console.log, onError: console.error })
 * ```
 */
export async function watchEntries(
  config: ManifoldConfig,
  kinds: readonly EntryKind[],
  options: WatchEntriesOptions,
): Promise<void> {
  const contexts = await Promise.all(
    kinds.map(async (kind) => {
      const base = await esbuildOptions(config, kind, options)
      const report: Plugin = {
        name: 'manifold-watch',
        setup(b) {
          b.onEnd(async (result) => {
            if (result.errors.length > 0) {
              options.onError(
                kind,
                result.errors
                  .map((e) => (e.location ? `${e.location.file}:${e.location.line}: ${e.text}` : e.text))
                  .join('\n'),
              )
              return
            }
            if (result.outputFiles === undefined || result.metafile === undefined) return
            try {
              await options.onBundle(toBundle(kind, result.outputFiles, result.metafile))
            } catch (error) {
              options.onError(kind, (error as Error).message)
            }
          })
        },
      }
      return context({ ...base, plugins: [...(base.plugins ?? []), report] })
    }),
  )
  await Promise.all(contexts.map((c) => c.watch()))
  await new Promise<void>((resolve) => {
    if (options.signal.aborted) resolve()
    else options.signal.addEventListener('abort', () => resolve(), { once: true })
  })
  await Promise.all(contexts.map((c) => c.dispose()))
}
