/**
 * Remote mode: the same command against a deployed HTTP API of the same app, through
 * `manifold/client`. Loaded only with `--remote` or `<APP>_REMOTE`.
 *
 * @module
 */
import type { AnyApp } from '../app.ts'
import { UsageError } from '../errors.ts'

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
  let url: URL | undefined
  try {
    url = new URL(baseUrl)
  } catch {}
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new UsageError(`Invalid remote URL "${baseUrl}"`, {
      hint: 'Pass an http(s) URL, e.g. --remote https://api.example.com',
    })
  }
  const { client } = await import('../client/index.ts')
  const headers = options.token ? { authorization: `Bearer ${options.token}` } : undefined
  const c = client({ baseUrl, app: target, ...(headers === undefined ? {} : { headers }) })
  return c.$call(name as never, input as never, { signal: options.signal })
}
