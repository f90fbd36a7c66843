/**
 * The renderer: results and errors to status, headers and body bytes. Success bodies are
 * `toJson(value)`, errors `toJson(toProblem(error))`, so every surface sends the same bytes.
 *
 * @module
 */
import { toManifoldError } from '../errors.ts'
import { toProblem } from '../problem.ts'
import { toJson } from '../serialize.ts'

/** Media type of a streamed result, one JSON value per line. */
export const ndjsonContentType = 'application/x-ndjson; charset=utf-8'
/** Media type of a result sent as server-sent events. */
export const sseContentType = 'text/event-stream; charset=utf-8'

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

/** One server-sent event. JSON never contains a raw newline, so `data` is one line. */
export function sseEvent(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`
}

/**
 * A queue that turns pushes (progress callbacks, items) into an AsyncIterable, for SSE
 * where progress arrives while the handler runs.
 */
export class Channel<T> implements AsyncIterable<T> {
  #items: T[] = []
  #done = false
  #wake: (() => void) | undefined

  push(item: T): void {
    this.#items.push(item)
    this.#wake?.()
  }

  end(): void {
    this.#done = true
    this.#wake?.()
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    while (true) {
      while (this.#items.length > 0) yield this.#items.shift() as T
      if (this.#done) return
      await new Promise<void>((resolve) => {
        this.#wake = resolve
      })
      this.#wake = undefined
    }
  }
}
