/**
 * Server-sent events: a call answered as a stream of `progress`, `item`, `result`, `error` and
 * `end` events, for browsers (EventSource) and clients that want progress. Kept out of
 * `handle.ts` so a Lambda bundle carries it only when asked.
 *
 * @module
 */

import type { ProgressFn } from '../context.ts'
import { toManifoldError } from '../errors.ts'
import { toProblem } from '../problem.ts'
import type { HttpResponse } from './handle.ts'

/** Media type of a result sent as server-sent events. */
export const sseContentType = 'text/event-stream; charset=utf-8'

/** Starts a call and answers it as events; `onEnd` gets the final status for the access log. */
export type SseResponder = (
  run: (onProgress: ProgressFn) => Promise<unknown>,
  stream: boolean,
  requestId: string,
  onEnd: (status: number) => void,
) => HttpResponse

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

/**
 * Answers a call with server-sent events: progress while it runs, then each item (streams)
 * or the result, then `end`; a failure becomes an `error` event with the problem details.
 *
 * @example
 * ```ts
 * import { app } from 'manifold'
 * import { createHandler } from './handle.ts'
 * import { sseResponse } from './sse.ts'
 * const handle = createHandler(app({ name: 'hello', version: '1.0.0', operations: [] }), { sse: sseResponse })
 * ```
 */
export const sseResponse: SseResponder = (run, stream, requestId, onEnd) => {
  const channel = new Channel<string>()
  let status = 200
  const work = async (): Promise<void> => {
    try {
      const result = await run((done, total, message) =>
        channel.push(sseEvent('progress', { done, total, message })),
      )
      if (stream && typeof result === 'object' && result !== null) {
        for await (const item of result as AsyncIterable<unknown>) channel.push(sseEvent('item', item))
      } else {
        channel.push(sseEvent('result', result ?? null))
      }
      channel.push('event: end\ndata: {}\n\n')
    } catch (error) {
      const failure = toManifoldError(error)
      status = failure.status
      channel.push(sseEvent('error', toProblem(failure, requestId)))
    } finally {
      channel.end()
      onEnd(status)
    }
  }
  void work()
  return {
    status: 200,
    headers: { 'content-type': sseContentType, 'cache-control': 'no-cache', 'x-request-id': requestId },
    body: channel,
  }
}
