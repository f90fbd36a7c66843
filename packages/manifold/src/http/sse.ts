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

/**
 * Starts a call and answers it as events once the first event is ready; a call that fails
 * before any event rejects, so it gets the usual problem response and status. `onEnd` gets
 * the final status of a started stream for the access log.
 */
export type SseResponder = (
  run: (onProgress: ProgressFn) => Promise<unknown>,
  stream: boolean,
  requestId: string,
  onEnd: (status: number) => void,
) => Promise<HttpResponse>

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
 * or the result, then `end`. The head waits for the first event: a failure before it rejects
 * (and answers with its status); a failure after it becomes an `error` event.
 *
 * @example
 * ```ts
 * import { app } from 'manifold'
 * import { createHandler } from 'manifold/http'
 * import { sseResponse } from './sse.ts'
 * const handle = createHandler(app({ name: 'hello', version: '1.0.0', operations: [] }), { sse: sseResponse })
 * ```
 */
export const sseResponse: SseResponder = (run, stream, requestId, onEnd) =>
  new Promise((resolve, reject) => {
    const channel = new Channel<string>()
    let opened = false
    const push = (event: string): void => {
      channel.push(event)
      if (opened) return
      opened = true
      resolve({
        status: 200,
        headers: { 'content-type': sseContentType, 'cache-control': 'no-cache', 'x-request-id': requestId },
        body: channel,
      })
    }
    const work = async (): Promise<void> => {
      let status = 200
      try {
        const result = await run((done, total, message) =>
          push(sseEvent('progress', { done, total, message })),
        )
        if (stream && typeof result === 'object' && result !== null) {
          for await (const item of result as AsyncIterable<unknown>) push(sseEvent('item', item))
        } else {
          push(sseEvent('result', result ?? null))
        }
        push('event: end\ndata: {}\n\n')
      } catch (error) {
        if (!opened) {
          reject(error)
          return
        }
        const failure = toManifoldError(error)
        status = failure.status
        channel.push(sseEvent('error', toProblem(failure, requestId)))
      }
      channel.end()
      onEnd(status)
    }
    void work()
  })
