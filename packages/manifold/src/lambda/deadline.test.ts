import { startDeadline } from 'manifold/lambda'
import { describe, expect, it } from 'vitest'

const context = (ms: number) => ({ getRemainingTimeInMillis: () => ms })

describe('startDeadline()', () => {
  it('startDeadline() gives no signal without getRemainingTimeInMillis', () => {
    expect(startDeadline(undefined, 500).signal).toBeUndefined()
    expect(startDeadline({}, 500).signal).toBeUndefined()
  })

  it('startDeadline() aborts the signal with a timeout error margin ms before the deadline', async () => {
    const deadline = startDeadline(context(520), 500)
    const error = await deadline.expired()
    expect(deadline.signal?.aborted).toBe(true)
    expect(deadline.signal?.reason).toBe(error)
    expect(error?.code).toBe('timeout')
  })

  it('startDeadline() reuses a signal nobody listened to, and never one with a listener or an abort', async () => {
    const first = startDeadline(context(30_000), 500)
    first.clear()
    const second = startDeadline(context(30_000), 500)
    expect(second.signal).toBe(first.signal)
    second.signal?.addEventListener('abort', () => {})
    second.clear()
    const third = startDeadline(context(30_000), 500)
    expect(third.signal).not.toBe(second.signal)
    third.clear()
    const fourth = startDeadline(context(1), 500)
    await fourth.expired()
    fourth.clear()
    const fifth = startDeadline(context(30_000), 500)
    expect(fifth.signal).not.toBe(fourth.signal)
    expect(fifth.signal?.aborted).toBe(false)
    fifth.clear()
  })
})
