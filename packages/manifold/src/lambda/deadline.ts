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
  /** Resolves to a `timeout` error when the deadline passes (never rejects); undefined without a deadline. */
  expired(): Promise<ManifoldError> | undefined
  /** Settles with the call, or rejects with `timeout` when the deadline passes first. */
  race<T>(call: Promise<T>): Promise<T>
  /** Stops the deadline (call when the invocation is done). */
  clear(): void
}

const none: Deadline = { signal: undefined, expired: () => undefined, race: (call) => call, clear() {} }

/**
 * A controller whose signal was never aborted and has no listener left: the next invocation
 * reuses it. Creating an AbortSignal is the dearest step of a warm invocation on Node 20
 * (an EventTarget with its maps); a signal nobody listens to is as good as a new one.
 */
let spare: AbortController | undefined

// One timer serves every deadline: it is armed at the earliest one and, when it fires, aborts
// what is due and re-arms for the next. Invocations come one after another with later
// deadlines, so a warm invocation adds itself to a set and arms nothing (a timer, a promise
// and a race per call were about a tenth of a warm invocation). Unref'd: it never holds the
// process open.
interface Pending {
  readonly at: number
  fire(): void
}
const pending = new Set<Pending>()
let timer: ReturnType<typeof setTimeout> | undefined
let timerAt = Number.POSITIVE_INFINITY

function arm(at: number): void {
  if (timer !== undefined && timerAt <= at) return
  clearTimeout(timer)
  timerAt = at
  timer = setTimeout(tick, Math.max(0, at - performance.now()))
  timer.unref?.()
}

function tick(): void {
  timer = undefined
  timerAt = Number.POSITIVE_INFINITY
  // Timers may fire up to a millisecond early.
  const now = performance.now() + 1
  let next = Number.POSITIVE_INFINITY
  for (const entry of pending) {
    if (entry.at <= now) {
      pending.delete(entry)
      entry.fire()
    } else if (entry.at < next) next = entry.at
  }
  if (next !== Number.POSITIVE_INFINITY) arm(next)
}

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
  let error: ManifoldError | undefined
  let waiters: ((error: ManifoldError) => void)[] | undefined
  const wait = (then: (error: ManifoldError) => void): void => {
    if (error !== undefined) then(error)
    else if (waiters === undefined) waiters = [then]
    else waiters.push(then)
  }
  const fire = (): void => {
    error = new Timeout(`The invocation reached its deadline (${margin} ms before the Lambda timeout)`, {
      hint: 'Raise the function timeout or make the operation faster',
    })
    controller.abort(error)
    if (waiters !== undefined) for (const then of waiters) then(error)
    waiters = undefined
  }
  const entry: Pending = { at: performance.now() + Math.max(0, remaining - margin), fire }
  pending.add(entry)
  arm(entry.at)
  return {
    signal,
    expired: () => new Promise<ManifoldError>(wait),
    race: (call) =>
      new Promise((resolve, reject) => {
        wait(reject)
        call.then(resolve, reject)
      }),
    clear: () => {
      pending.delete(entry)
      waiters = undefined
      if (!signal.aborted && getEventListeners(signal, 'abort').length === 0) spare = controller
    },
  }
}

/** Settles with the call, or rejects with `timeout` when the deadline passes first. */
export function withDeadline<T>(call: Promise<T>, deadline: Deadline): Promise<T> {
  return deadline.race(call)
}
