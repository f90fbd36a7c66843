/**
 * Remote mode: the same command against a deployed HTTP API of the same app, through
 * `manifold/client`. Loaded only with `--remote` or `<APP>_REMOTE`.
 *
 * @module
 */
import type { AnyApp } from '../app.ts'

/** Options of {@link callRemote}. */
export interface CallRemoteOptions {
  /** Sent as `Authorization: Bearer <token>`. */
  readonly token: string | undefined
  readonly signal: AbortSignal
}

/** Calls one operation over HTTP; resolves like `invoke` (a value, or an AsyncIterable). */
export async function callRemote(
  target: AnyApp,
  baseUrl: string,
  name: string,
  input: unknown,
  options: CallRemoteOptions,
): Promise<unknown> {
  const { client } = await import('../client/index.ts')
  const headers = options.token ? { authorization: `Bearer ${options.token}` } : undefined
  const c = client({ baseUrl, app: target, ...(headers === undefined ? {} : { headers }) })
  return c.$call(name as never, input as never, { signal: options.signal })
}
