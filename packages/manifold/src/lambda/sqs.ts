/**
 * SQS batches: each record is one call. The answer lists exactly the records to retry in
 * `batchItemFailures` (the event source mapping needs `ReportBatchItemFailures`). Retryable
 * failures are always reported; non-retryable ones are logged with the message id and then
 * reported (default: the message ends in the dead-letter queue) or dropped.
 *
 * @module
 */
import {
  type AnyApp,
  type CallOptions,
  errorCodes,
  InvalidInput,
  invoke,
  type Logger,
  type ManifoldError,
  toManifoldError,
  UsageError,
} from '../index.ts'
import { isAsyncIterable } from '../invoke.ts'
import type { InvocationDeadline } from './deadline.ts'
import type { EventObject } from './event.ts'
import type { SqsBatchResponse } from './types.ts'

/** How SQS records become calls. */
export interface SqsOptions<Name extends string = string> {
  /** Binds the queue to one operation: the record body (JSON) is its input. Without it the body is `{ "op", "input" }`. */
  readonly op?: Name
  /** What happens to a record that failed with a non-retryable code: `report` (default) or `drop`. Both log it. */
  readonly nonRetryable?: 'report' | 'drop'
}

/** What became of one record. */
export type RecordOutcome = 'done' | 'reported' | 'dropped'

interface SqsRecord {
  readonly messageId: string
  readonly body: unknown
}

/** `{ op, input }` of one record, or the error that says why it has none. */
function recordCall(record: SqsRecord, bound: string | undefined): { op: string; input: unknown } {
  let parsed: unknown
  try {
    parsed = typeof record.body === 'string' ? JSON.parse(record.body) : undefined
  } catch {
    throw new InvalidInput(`Cannot parse the body of message "${record.messageId}" as JSON`, {
      hint:
        bound === undefined
          ? 'Send {"op": "<name>", "input": {…}} as the message body'
          : 'Send the input as JSON',
    })
  }
  if (bound !== undefined) return { op: bound, input: parsed }
  const call = parsed as { op?: unknown; input?: unknown } | null
  if (typeof call !== 'object' || call === null || typeof call.op !== 'string') {
    throw new UsageError(`Message "${record.messageId}" does not name an operation`, {
      hint: 'Send {"op": "<name>", "input": {…}} as the body, or bind the queue with lambda(app, { sqs: { op } })',
    })
  }
  return { op: call.op, input: call.input }
}

async function drain(result: unknown): Promise<void> {
  if (isAsyncIterable(result)) for await (const _ of result);
}

/** Runs an SQS batch; every record ends done, reported (listed in the answer) or dropped (logged). */
export async function handleSqs(
  app: AnyApp,
  event: EventObject,
  options: SqsOptions,
  call: CallOptions & { readonly log: Logger },
  deadline: InvocationDeadline | undefined,
): Promise<SqsBatchResponse> {
  const records = event.Records as SqsRecord[]
  const outcomes = new Map<string, RecordOutcome>()
  const { log } = call
  const settle = (record: SqsRecord, error: ManifoldError): RecordOutcome => {
    const fields = { messageId: record.messageId, code: error.code, error: error.message }
    if (errorCodes[error.code].retryable || options.nonRetryable !== 'drop') {
      log.warn('SQS message failed; reported for retry', fields)
      return 'reported'
    }
    log.error('SQS message failed with a non-retryable error; dropped', fields)
    return 'dropped'
  }
  const run = async (record: SqsRecord): Promise<RecordOutcome> => {
    try {
      const { op, input } = recordCall(record, options.op)
      const callOptions: CallOptions = { ...call, requestId: record.messageId }
      const done = invoke(app, op, input as never, callOptions).then(drain)
      await (deadline === undefined ? done : deadline.race(done))
      return 'done'
    } catch (error) {
      return settle(record, toManifoldError(error))
    }
  }
  const first = records[0] as { eventSourceARN?: unknown } | undefined
  const fifo = typeof first?.eventSourceARN === 'string' && first.eventSourceARN.endsWith('.fifo')
  if (fifo) {
    // FIFO: stop at the first failure and report it with every record after it, to keep order.
    let failed = false
    for (const record of records) {
      if (failed) {
        outcomes.set(record.messageId, 'reported')
        continue
      }
      const outcome = await run(record)
      outcomes.set(record.messageId, outcome)
      failed = outcome === 'reported'
    }
  } else {
    const results = await Promise.all(records.map(run))
    for (const [i, record] of records.entries()) outcomes.set(record.messageId, results[i] as RecordOutcome)
  }
  const batchItemFailures: { itemIdentifier: string }[] = []
  for (const [id, outcome] of outcomes)
    if (outcome === 'reported') batchItemFailures.push({ itemIdentifier: id })
  return { batchItemFailures }
}
