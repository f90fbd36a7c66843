/**
 * The Lambda deadline as an AbortSignal. It fires `margin` ms before the runtime would stop
 * the invocation, so that the handler can still answer `timeout` (and SQS can still report
 * the unfinished records) instead of being killed mid-call.
 *
 * @module
 */
import { getEventListeners } from 'node:events'
import { type ManifoldError, Timeout } from '../index.ts'
import type { LambdaContext } from './types.ts'

/** One invocation's deadline. */
export interface Deadline {
  readonly signal: AbortSignal | undefined
  /** Resolves to a `timeout` error when the deadline passes; never rejects. */
  readonly expired: Promise<ManifoldError> | undefined
  /** Stops the timer (call when the invocation is done). */
  clear(): void
}

const none: Deadline = { signal: undefined, expired: undefined, clear() {} }

/**
 * A controller whose signal was never aborted and has no listener left: the next invocation
 * reuses it. Creating an AbortSignal is the dearest step of a warm invocation on Node 20
 * (an EventTarget with its maps); a signal nobody listens to is as good as a new one.
 */
let spare: AbortController | undefined

/**
 * Starts the deadline of an invocation. Without `getRemainingTimeInMillis` (a plain call in a
 * test) there is none.
 *
 * @example
 * ```ts
 * import { startDeadline } from 'manifold/lambda'
 * const deadline = startDeadline({ getRemainingTimeInMillis: () => 3000 }, 500)
 * deadline.signal?.aborted // false, until 2.5 s from now
 * deadline.clear()
 * ```
 */
export function startDeadline(context: LambdaContext | undefined, margin: number): Deadline {
  const remaining = context?.getRemainingTimeInMillis?.()
  if (typeof remaining !== 'number' || !Number.isFinite(remaining)) return none
  let controller = spare
  spare = undefined
  if (controller === undefined) controller = new AbortController()
  const signal = controller.signal
  let timer: ReturnType<typeof setTimeout> | undefined
  const expired = new Promise<ManifoldError>((resolve) => {
    timer = setTimeout(
      () => {
        const error = new Timeout(
          `The invocation reached its deadline (${margin} ms before the Lambda timeout)`,
          {
            hint: 'Raise the function timeout or make the operation faster',
          },
        )
        controller.abort(error)
        resolve(error)
      },
      Math.max(0, remaining - margin),
    )
  })
  return {
    signal,
    expired,
    clear: () => {
      clearTimeout(timer)
      if (!signal.aborted && getEventListeners(signal, 'abort').length === 0) spare = controller
    },
  }
}

/** Settles with the call, or rejects with `timeout` when the deadline passes first. */
export function withDeadline<T>(call: Promise<T>, deadline: Deadline): Promise<T> {
  if (deadline.expired === undefined) return call
  return Promise.race([call, deadline.expired.then((error) => Promise.reject(error))])
}
