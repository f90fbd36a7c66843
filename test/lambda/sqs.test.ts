/**
 * SQS batches: good, invalid and failing records. The answer lists exactly the records to
 * retry, and every record is provably done (the operation ran), reported (in the answer) or
 * dropped (in the log, with its message id).
 */
import { readFileSync } from 'node:fs'
import { app, createLogger, op } from 'manifold'
import { lambda } from 'manifold/lambda'
import { beforeEach, describe, expect, it } from 'vitest'
import * as z from 'zod'
import testApp, { done } from './app.ts'

const root = new URL('../fixtures/lambda-events/', import.meta.url)
const sample = JSON.parse(
  readFileSync(new URL('powertools-lambda-typescript/sqs-base.json', root), 'utf8'),
) as { Records: Record<string, unknown>[] }
const template = sample.Records[0] as Record<string, unknown>

function batch(bodies: Record<string, string>, arn = template.eventSourceARN as string) {
  return {
    Records: Object.entries(bodies).map(([messageId, body]) => ({
      ...template,
      messageId,
      body,
      eventSourceARN: arn,
    })),
  }
}

const note = (id: string, title: string, bound = true) =>
  JSON.stringify(bound ? { id, title } : { op: 'import', input: { id, title } })

function setup(options: { bound?: boolean; nonRetryable?: 'report' | 'drop' } = {}) {
  const lines: Record<string, unknown>[] = []
  const log = createLogger({ level: 'warn', write: (line) => lines.push(JSON.parse(line)) })
  const sqs = {
    ...(options.bound === false ? {} : { op: 'import' }),
    ...(options.nonRetryable === undefined ? {} : { nonRetryable: options.nonRetryable }),
  }
  const handler = lambda(testApp, { sqs, log })
  const logged = (level: string) =>
    lines
      .filter((l) => l.level === level && typeof l.messageId === 'string')
      .map((l) => l.messageId as string)
  return { handler, lines, logged }
}

const context = { awsRequestId: 'req-3', getRemainingTimeInMillis: () => 30_000 }
const ids = (result: unknown) =>
  (result as { batchItemFailures: { itemIdentifier: string }[] }).batchItemFailures
    .map((f) => f.itemIdentifier)
    .sort()

beforeEach(() => {
  done.length = 0
})

describe('lambda() on SQS', () => {
  const mixed = {
    good1: note('1', 'ok'),
    notJson: '{not json',
    invalid: JSON.stringify({ id: 2 }),
    flaky: note('3', 'flaky'),
    missing: note('4', 'missing'),
    busy: note('5', 'busy'),
    bug: note('6', 'bug'),
    good2: note('7', 'ok'),
  }

  it('lambda() reports every failed record of a bound queue by default and nothing else', async () => {
    const { handler, logged } = setup()
    const result = await handler(batch(mixed), context)
    expect(ids(result)).toEqual(['bug', 'busy', 'flaky', 'invalid', 'missing', 'notJson'])
    expect(done.sort()).toEqual(['1', '7'])
    expect(logged('warn').sort()).toEqual(['bug', 'busy', 'flaky', 'invalid', 'missing', 'notJson'])
  })

  it('lambda() drops non-retryable records when asked, logging each with its id and code', async () => {
    const { handler, lines, logged } = setup({ nonRetryable: 'drop' })
    const result = await handler(batch(mixed), context)
    const reported = ids(result)
    expect(reported).toEqual(['bug', 'busy', 'flaky'])
    const dropped = logged('error').sort()
    expect(dropped).toEqual(['invalid', 'missing', 'notJson'])
    // Nothing lost silently: every record is done, reported or dropped with a log line.
    const all = [...done.map((id) => `good${id === '1' ? 1 : 2}`), ...reported, ...dropped].sort()
    expect(all).toEqual(Object.keys(mixed).sort())
    const codes = Object.fromEntries(lines.map((l) => [l.messageId, l.code]))
    expect(codes).toMatchObject({
      notJson: 'invalid_input',
      invalid: 'invalid_input',
      missing: 'not_found',
      flaky: 'unavailable',
      busy: 'rate_limited',
      bug: 'internal',
    })
  })

  it('lambda() reads {"op", "input"} bodies when the queue is not bound', async () => {
    const { handler } = setup({ bound: false, nonRetryable: 'drop' })
    const result = await handler(
      batch({
        a: note('1', 'ok', false),
        b: note('2', 'flaky', false),
        c: '{"input":{}}',
        d: '{"op":"nope"}',
      }),
      context,
    )
    expect(ids(result)).toEqual(['b'])
    expect(done).toEqual(['1'])
  })

  it('lambda() answers an empty failure list when the whole batch succeeds', async () => {
    const { handler } = setup()
    expect(await handler(batch({ a: note('1', 'ok'), b: note('2', 'ok') }), context)).toEqual({
      batchItemFailures: [],
    })
  })

  it('lambda() stops a FIFO batch at the first failure and reports it with every record after it', async () => {
    const { handler } = setup()
    const fifo = 'arn:aws:sqs:us-east-1:123456789012:queue.fifo'
    const result = await handler(
      batch({ a: note('1', 'ok'), b: note('2', 'flaky'), c: note('3', 'ok'), d: note('4', 'ok') }, fifo),
      context,
    )
    expect(ids(result)).toEqual(['b', 'c', 'd'])
    expect(done).toEqual(['1'])
  })

  it('lambda() keeps going in a FIFO batch past a dropped record', async () => {
    const { handler, logged } = setup({ nonRetryable: 'drop' })
    const fifo = 'arn:aws:sqs:us-east-1:123456789012:queue.fifo'
    const result = await handler(batch({ a: note('1', 'missing'), b: note('2', 'ok') }, fifo), context)
    expect(ids(result)).toEqual([])
    expect(done).toEqual(['2'])
    expect(logged('error')).toEqual(['a'])
  })

  it('lambda() reports the records still running at the deadline as timeouts', async () => {
    const lines: Record<string, unknown>[] = []
    const log = createLogger({ level: 'warn', write: (line) => lines.push(JSON.parse(line)) })
    const handler = lambda(testApp, { log })
    const slow = (ms: number) => JSON.stringify({ op: 'slow', input: { ms } })
    const result = await handler(batch({ fast: slow(1), late: slow(10_000) }), {
      awsRequestId: 'req-4',
      getRemainingTimeInMillis: () => 600,
    })
    expect(ids(result)).toEqual(['late'])
    expect(lines.find((l) => l.messageId === 'late')?.code).toBe('timeout')
  })

  it.each([
    'powertools-lambda-typescript/sqs-base.json',
    'aws-lambda-go/sqs-event.json',
    'aws-lambda-dotnet/sqs-event.json',
  ])('lambda() reports every record of the sample %s, whose bodies are not calls', async (file) => {
    const event = JSON.parse(readFileSync(new URL(file, root), 'utf8')) as {
      Records: { messageId: string }[]
    }
    const { handler } = setup({ bound: false })
    expect(ids(await handler(event, context))).toEqual(event.Records.map((r) => r.messageId).sort())
  })
})

describe('lambda() on SQS with a bad config', () => {
  it('lambda() fails the whole batch when the app config is invalid, so that no record is dropped', async () => {
    const configured = app({
      name: 'configured',
      version: '1.0.0',
      config: z.object({ MANIFOLD_TEST_MISSING_VARIABLE: z.string() }),
      operations: [op({ name: 'import', handler: () => 1 })],
    })
    const handler = lambda(configured, {
      sqs: { op: 'import', nonRetryable: 'drop' },
      log: createLogger({ level: 'silent' }),
    })
    await expect(handler(batch({ a: '{}' }), context)).rejects.toMatchObject({ name: 'invalid_input' })
  })
})
