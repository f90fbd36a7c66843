/**
 * The Lambda deadline as an AbortSignal. It fires `margin` ms before the runtime would stop
 * the invocation, so that the handler can still answer `timeout` (and SQS can still report
 * the unfinished records) instead of being killed mid-call.
 *
 * @module
 */
import { type ManifoldError, Timeout } from '../index.ts'
import type { AbortSource } from '../invoke.ts'
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
let listeners: ((target: EventTarget, type: string) => unknown[]) | undefined

function takeController(): AbortController {
  const controller = spare ?? new AbortController()
  spare = undefined
  return controller
}

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
 * The deadline of one invocation, as the {@link AbortSource} of its calls. Its AbortSignal is
 * made only when a handler reads `ctx.signal`, and its timer entry only by `arm()`: `lambda()`
 * arms it when a call goes asynchronous, because a call that settles synchronously finishes
 * before any timer could fire. A warm synchronous invocation thus reads no clock, adds no
 * entry, races nothing and makes no signal, and a cold one loads no AbortController.
 */
export class InvocationDeadline implements AbortSource {
  #context: LambdaContext
  #margin: number
  #controller: AbortController | undefined
  #entry: Pending | undefined
  #error: ManifoldError | undefined
  #waiters: ((error: ManifoldError) => void)[] | undefined

  constructor(context: LambdaContext, margin: number) {
    this.#context = context
    this.#margin = margin
  }

  get aborted(): boolean {
    return this.#error !== undefined
  }

  get reason(): unknown {
    return this.#error
  }

  abortSignal(): AbortSignal {
    if (this.#controller === undefined) {
      const controller = takeController()
      if (this.#error !== undefined) controller.abort(this.#error)
      this.#controller = controller
    }
    return this.#controller.signal
  }

  /** Starts the timer (once); a runtime without a finite remaining time gets none. */
  arm(): void {
    if (this.#entry !== undefined) return
    const remaining = this.#context.getRemainingTimeInMillis?.()
    if (typeof remaining !== 'number' || !Number.isFinite(remaining)) return
    const entry: Pending = {
      at: performance.now() + Math.max(0, remaining - this.#margin),
      fire: () => this.#fire(),
    }
    this.#entry = entry
    pending.add(entry)
    arm(entry.at)
  }

  #fire(): void {
    const error = new Timeout(
      `The invocation reached its deadline (${this.#margin} ms before the Lambda timeout)`,
      { hint: 'Raise the function timeout or make the operation faster' },
    )
    this.#error = error
    this.#controller?.abort(error)
    const waiters = this.#waiters
    this.#waiters = undefined
    if (waiters !== undefined) for (const then of waiters) then(error)
  }

  #wait(then: (error: ManifoldError) => void): void {
    if (this.#error !== undefined) then(this.#error)
    else if (this.#waiters === undefined) this.#waiters = [then]
    else this.#waiters.push(then)
  }

  /** Settles with the call, or rejects with `timeout` when the deadline passes first (arms it). */
  race<T>(call: Promise<T>): Promise<T> {
    this.arm()
    return new Promise((resolve, reject) => {
      this.#wait(reject)
      call.then(resolve, reject)
    })
  }

  /** Stops the deadline; a clean signal goes to the next invocation. */
  clear(): void {
    const controller = this.#stop()
    if (controller !== undefined) spare = controller
  }

  /** Stops the deadline, and keeps this very object (with its signal) for the next invocation when it can. */
  release(): void {
    if (this.#error !== undefined) return
    this.#controller = this.#stop()
    spareDeadline = this
  }

  /** Stops the timer; returns the controller if another invocation may use its signal. */
  #stop(): AbortController | undefined {
    if (this.#entry !== undefined) pending.delete(this.#entry)
    this.#entry = undefined
    this.#waiters = undefined
    const controller = this.#controller
    if (controller === undefined || this.#error !== undefined) return undefined
    // node:events only once a signal was made: importing it up front costs every cold start.
    listeners ??= process.getBuiltinModule('node:events').getEventListeners
    return listeners(controller.signal, 'abort').length === 0 ? controller : undefined
  }

  #reuse(context: LambdaContext, margin: number): this {
    this.#context = context
    this.#margin = margin
    return this
  }

  static for(context: LambdaContext, margin: number): InvocationDeadline {
    const reused = spareDeadline
    if (reused === undefined) return new InvocationDeadline(context, margin)
    spareDeadline = undefined
    return reused.#reuse(context, margin)
  }
}

/** A released deadline that never fired: the next invocation takes it as it is. */
let spareDeadline: InvocationDeadline | undefined

/**
 * The deadline of an invocation, for `lambda()`: none without `getRemainingTimeInMillis` (a
 * plain call in a test), else one whose timer starts when it is armed. `release()` it when the
 * invocation is done.
 */
export function invocationDeadline(
  context: LambdaContext | undefined,
  margin: number,
): InvocationDeadline | undefined {
  return typeof context?.getRemainingTimeInMillis === 'function'
    ? InvocationDeadline.for(context, margin)
    : undefined
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
  if (context === undefined || typeof remaining !== 'number' || !Number.isFinite(remaining)) return none
  const deadline = new InvocationDeadline(context, margin)
  deadline.arm()
  return {
    signal: deadline.abortSignal(),
    // A race against a call that never settles: it ends only with the timeout. Kept out of the
    // class, so that a bundle of `lambda()` (which never needs it) does not carry it.
    expired: () =>
      deadline.race(new Promise<never>(() => {})).catch((error: unknown) => error as ManifoldError),
    race: (call) => deadline.race(call),
    clear: () => deadline.clear(),
  }
}
