/**
 * `manifold lambda serve` and `manifold lambda invoke`: run a Lambda bundle locally the way
 * Lambda does, in its own process behind a Runtime API emulator.
 *
 * @module
 */
import { existsSync, readFileSync } from 'node:fs'
import { createError, Internal, isErrorCode, op, UsageError } from 'manifold'
import * as z from 'zod'
import { note } from '../io.ts'
import {
  eventKinds,
  type SampleKind,
  sampleEvent,
  serveLambda,
  startEmulator,
} from '../lambda-emulator/index.ts'

const functionFields = {
  bundle: z
    .string()
    .default('dist/lambda/index.mjs')
    .describe('The Lambda bundle, or the folder that holds it'),
  handler: z
    .string()
    .optional()
    .describe('Handler as "<file>.<export>"; defaults to "<bundle name>.handler"'),
  timeout: z.number().positive().max(900).default(3).describe('Function timeout in seconds'),
  memory: z
    .number()
    .int()
    .min(128)
    .max(10240)
    .default(128)
    .describe('Memory size in MB, as the function sees it'),
  env: z.array(z.string()).default([]).describe('Environment variables of the function, as KEY=VALUE'),
}

function parseEnv(pairs: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const pair of pairs) {
    const eq = pair.indexOf('=')
    if (eq <= 0) throw new UsageError(`Cannot read --env "${pair}": expected KEY=VALUE`)
    out[pair.slice(0, eq)] = pair.slice(eq + 1)
  }
  return out
}

function checkBundle(bundle: string): void {
  if (!existsSync(bundle)) {
    throw new UsageError(`Cannot find the bundle "${bundle}"`, {
      hint: 'Run "manifold build" first, or pass the path of a bundle that exports "handler"',
    })
  }
}

/** `manifold lambda invoke` */
export const lambdaInvoke = op({
  name: 'lambda.invoke',
  description: 'Send one event to a Lambda bundle running in a local Lambda environment and print the result',
  input: z.object({
    ...functionFields,
    event: z.string().describe(`An event file (JSON), or a kind: ${eventKinds.join(', ')}`),
    method: z.string().optional().describe('HTTP method of an HTTP event'),
    path: z.string().optional().describe('Path (with an optional ?query) of an HTTP event'),
    data: z
      .string()
      .optional()
      .describe('Body of an HTTP event or SQS record, EventBridge detail, or direct {"op","input"} (JSON)'),
    detailType: z.string().optional().describe('EventBridge detail-type'),
  }),
  cli: {
    positional: ['bundle'],
    examples: [
      'lambda invoke dist/lambda/index.mjs --event direct --data \'{"op":"list","input":{}}\'',
      'lambda invoke dist/lambda/index.mjs --event function-url --path /notes',
      'lambda invoke dist/lambda/index.mjs --event events/sqs.json',
    ],
  },
  handler: async (input) => {
    checkBundle(input.bundle)
    let event: unknown
    if ((eventKinds as readonly string[]).includes(input.event)) {
      const [path, query] = (input.path ?? '/').split('?', 2)
      event = sampleEvent(input.event as SampleKind, {
        ...(input.method === undefined ? {} : { method: input.method.toUpperCase() }),
        path: path || '/',
        query: query ?? '',
        ...(input.data === undefined ? {} : { data: input.data, body: input.data }),
        ...(input.detailType === undefined ? {} : { detailType: input.detailType }),
      })
    } else if (existsSync(input.event)) {
      try {
        event = JSON.parse(readFileSync(input.event, 'utf8'))
      } catch (error) {
        throw new UsageError(
          `Cannot parse the event file "${input.event}" as JSON: ${(error as Error).message}`,
        )
      }
    } else {
      throw new UsageError(`Cannot read --event "${input.event}": it is neither a file nor a kind`, {
        hint: `Pass a JSON file or one of: ${eventKinds.join(', ')}`,
      })
    }
    const emulator = await startEmulator({
      bundle: input.bundle,
      ...(input.handler === undefined ? {} : { handler: input.handler }),
      timeout: input.timeout,
      memory: input.memory,
      env: parseEnv(input.env),
    })
    try {
      const result = await emulator.invoke(event)
      const init = result.initDuration === undefined ? '' : `, init ${result.initDuration.toFixed(1)} ms`
      note(`Invoked in ${result.duration.toFixed(1)} ms${init}`)
      if (result.error !== undefined) {
        const { errorType, errorMessage } = result.error
        throw isErrorCode(errorType)
          ? createError(errorType, errorMessage)
          : new Internal(`The function failed with ${errorType}: ${errorMessage}`)
      }
      if (result.payload === undefined && result.stream !== undefined)
        return Buffer.from(result.stream).toString('utf8')
      return result.payload
    } finally {
      await emulator.close()
    }
  },
})

/** `manifold lambda serve` */
export const lambdaServe = op({
  name: 'lambda.serve',
  description:
    'Run a Lambda bundle in a local Lambda environment: Runtime API, invoke endpoint and HTTP bridge',
  input: z.object({
    ...functionFields,
    port: z
      .number()
      .int()
      .min(0)
      .max(65535)
      .optional()
      .describe('Port to listen on; defaults to PORT or 3000'),
    host: z.string().optional().describe('Host to listen on; defaults to HOST or 127.0.0.1'),
    as: z
      .enum(['function-url', 'apigw-http-v2', 'apigw-v1', 'alb', 'alb-multi-value'])
      .default('function-url')
      .describe('Which integration plain HTTP requests arrive as'),
  }),
  cli: {
    positional: ['bundle'],
    examples: [
      'lambda serve dist/lambda/index.mjs',
      'lambda serve dist/lambda/index.mjs --as alb --port 9000',
    ],
  },
  handler: async (input, ctx) => {
    checkBundle(input.bundle)
    const emulator = await serveLambda({
      bundle: input.bundle,
      ...(input.handler === undefined ? {} : { handler: input.handler }),
      timeout: input.timeout,
      memory: input.memory,
      env: parseEnv(input.env),
      port: input.port ?? Number(process.env.PORT ?? 3000),
      host: input.host ?? process.env.HOST ?? '127.0.0.1',
      as: input.as,
    })
    note(
      `Lambda environment on ${emulator.url} (HTTP requests arrive as ${input.as} events)\n` +
        `  curl ${emulator.url}/\n` +
        `  curl -d '{"op":"<name>","input":{}}' ${emulator.url}/2015-03-31/functions/function/invocations`,
    )
    await new Promise<void>((resolve) => {
      if (ctx.signal.aborted) resolve()
      ctx.signal.addEventListener('abort', () => resolve(), { once: true })
    })
    await emulator.close()
  },
})
