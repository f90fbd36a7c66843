/**
 * Streamed results as NDJSON: each item is `toJson(item)`, the bytes the CLI prints for it.
 *
 * @module
 */
import { toManifoldError } from '../errors.ts'
import { toProblem } from '../problem.ts'
import { toJson } from '../serialize.ts'

/** Media type of a streamed result, one JSON value per line. */
export const ndjsonContentType = 'application/x-ndjson; charset=utf-8'

/**
 * Pulls the first item of a stream before anything is sent, so a stream that fails before its
 * first item (a refused permission, a missing record) throws here and gets the usual problem
 * response with its status; the iterable it resolves to yields that item, then the rest.
 */
export async function primed<T>(items: AsyncIterable<T>): Promise<AsyncIterable<T>> {
  const iterator = items[Symbol.asyncIterator]()
  const first = await iterator.next()
  return {
    async *[Symbol.asyncIterator]() {
      if (first.done === true) return
      let finished = false
      try {
        yield first.value
        while (true) {
          const next = await iterator.next()
          if (next.done === true) break
          yield next.value
        }
        finished = true
      } finally {
        // Stopped early (the client went away): let the operation's `finally` blocks run.
        if (!finished) await iterator.return?.()
      }
    },
  }
}

/** Streams items as NDJSON; a failure mid-stream ends it with one problem line. */
export async function* ndjsonBody(
  items: AsyncIterable<unknown>,
  requestId: string,
  onEnd: (status: number) => void,
): AsyncGenerator<string, void, undefined> {
  let status = 200
  try {
    for await (const item of items) yield toJson(item)
  } catch (error) {
    const failure = toManifoldError(error)
    status = failure.status
    yield toJson(toProblem(failure, requestId))
  } finally {
    onEnd(status)
  }
}
