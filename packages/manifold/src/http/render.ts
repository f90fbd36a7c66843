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
