/**
 * A bundle of the test app, built with esbuild here, answers through the Runtime API emulator
 * in a separate process for every trigger; and the emulator itself behaves as Lambda does on
 * handler lookup, init errors, timeouts, crashes and response streaming.
 */
import { execFile, spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { build } from 'esbuild'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  decodeHttpResult,
  decodeStream,
  type Emulator,
  type EmulatorOptions,
  type SampleKind,
  sampleEvent,
  serveLambda,
  startEmulator,
} from '../../packages/tool/src/lambda-emulator/index.ts'

const dir = mkdtempSync(join(tmpdir(), 'manifold-lambda-'))
const bundle = join(dir, 'app', 'index.mjs')
const silent = () => {}

beforeAll(async () => {
  await build({
    entryPoints: [new URL('./entry.ts', import.meta.url).pathname],
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    conditions: ['source'],
    outfile: bundle,
    logLevel: 'silent',
  })
}, 60_000)

afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** Writes a hand-written function into its own task root. */
function task(name: string, files: Record<string, string>): string {
  const root = join(dir, name)
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(join(root, file, '..'), { recursive: true })
    writeFileSync(join(root, file), text)
  }
  return root
}

/** Starts the emulator for one test and always stops it. */
async function withEmulator(
  options: EmulatorOptions,
  use: (emulator: Emulator) => Promise<void>,
): Promise<void> {
  const emulator = await startEmulator({ log: silent, ...options })
  try {
    await use(emulator)
  } finally {
    await emulator.close()
  }
}

describe('the test app bundle in the emulator', () => {
  let emulator: Emulator
  beforeAll(async () => {
    emulator = await startEmulator({ bundle, timeout: 5, log: silent })
  })
  afterAll(() => emulator.close())

  const http: { kind: SampleKind; shape: string[] }[] = [
    { kind: 'apigw-v1', shape: ['statusCode', 'headers', 'body', 'isBase64Encoded'] },
    { kind: 'apigw-http-v2', shape: ['statusCode', 'headers', 'body', 'isBase64Encoded'] },
    { kind: 'function-url', shape: ['statusCode', 'headers', 'body', 'isBase64Encoded'] },
    { kind: 'alb', shape: ['statusCode', 'statusDescription', 'headers', 'body', 'isBase64Encoded'] },
    {
      kind: 'alb-multi-value',
      shape: ['statusCode', 'statusDescription', 'multiValueHeaders', 'body', 'isBase64Encoded'],
    },
  ]

  it.each(http)('the bundle answers a $kind event with a note', async ({ kind, shape }) => {
    const result = await emulator.invoke(sampleEvent(kind, { path: '/notes/42' }))
    expect(result.error).toBeUndefined()
    expect(Object.keys(result.payload as object).sort()).toEqual([...shape].sort())
    const decoded = decodeHttpResult(result.payload)
    expect(decoded.status).toBe(200)
    expect(JSON.parse(decoded.body.toString('utf8'))).toEqual({ id: '42', title: 'Note 42' })
  })

  it('the bundle answers a POST with a JSON body on an HTTP API v2 event', async () => {
    const event = sampleEvent('apigw-http-v2', { method: 'POST', path: '/hello', body: '{"a":1}' })
    const decoded = decodeHttpResult((await emulator.invoke(event)).payload)
    expect(JSON.parse(decoded.body.toString('utf8'))).toMatchObject({ op: 'hello', input: { a: 1 } })
  })

  it('the bundle answers an unknown route with a 404 problem', async () => {
    const decoded = decodeHttpResult(
      (await emulator.invoke(sampleEvent('function-url', { path: '/nope' }))).payload,
    )
    expect(decoded.status).toBe(404)
    expect(decoded.headers['content-type']).toBe('application/problem+json')
  })

  it('the bundle answers an SQS batch with the failed record ids', async () => {
    const ok = sampleEvent('sqs', { data: '{"id":"1","title":"ok"}' }) as { Records: { messageId: string }[] }
    const bad = sampleEvent('sqs', { data: '{"id":"2","title":"flaky"}' }) as {
      Records: { messageId: string }[]
    }
    const result = await emulator.invoke({ Records: [...ok.Records, ...bad.Records] })
    expect(result.payload).toEqual({ batchItemFailures: [{ itemIdentifier: bad.Records[0]?.messageId }] })
  })

  it('the bundle answers a scheduled EventBridge event through the bound operation', async () => {
    const result = await emulator.invoke(sampleEvent('scheduled'))
    expect(result.payload).toEqual({ cleaned: true, detail: {} })
  })

  it('the bundle answers a direct invocation with the output', async () => {
    const result = await emulator.invoke({ op: 'get', input: { id: '7' } })
    expect(result.payload).toEqual({ id: '7', title: 'Note 7' })
  })

  it('the bundle fails a direct invocation with errorType set to the error code', async () => {
    const result = await emulator.invoke({ op: 'get', input: { id: '404' } })
    expect(result.error).toMatchObject({ errorType: 'not_found', errorMessage: 'No note "404"' })
    expect(result.error?.trace?.length).toBeGreaterThan(0)
  })

  it('the emulator reports the init duration once, on the cold start only', async () => {
    await withEmulator({ bundle }, async (cold) => {
      const first = await cold.invoke({ op: 'get', input: { id: '1' } })
      const second = await cold.invoke({ op: 'get', input: { id: '2' } })
      expect(first.initDuration).toBeGreaterThan(0)
      expect(second.initDuration).toBeUndefined()
    })
  })
})

describe('the emulator', () => {
  it.each([
    {
      description: 'an ESM .mjs handler',
      files: { 'index.mjs': 'export const handler = async (event) => ({ got: event })' },
      handler: 'index.handler',
    },
    {
      description: 'a CommonJS .cjs handler',
      files: { 'index.cjs': 'exports.handler = async (event) => ({ got: event })' },
      handler: 'index.handler',
    },
    {
      description: 'a .js handler that is ESM by its package.json',
      files: {
        'package.json': '{"type":"module"}',
        'main.js': 'export const run = async (event) => ({ got: event })',
      },
      handler: 'main.run',
    },
    {
      description: 'a .js handler that is CommonJS without "type"',
      files: { 'main.js': 'module.exports.run = async (event) => ({ got: event })' },
      handler: 'main.run',
    },
    {
      description: 'a handler in a sub-folder',
      files: { 'dist/lambda.mjs': 'export const handler = async (event) => ({ got: event })' },
      handler: 'dist/lambda.handler',
    },
  ])('the emulator loads $description', async ({ description, files, handler }) => {
    const root = task(description.replace(/\W+/g, '-'), files)
    await withEmulator({ bundle: root, handler }, async (emulator) => {
      expect((await emulator.invoke({ n: 1 })).payload).toEqual({ got: { n: 1 } })
    })
  })

  it.each([
    {
      description: 'a missing export',
      files: { 'index.mjs': 'export const other = async () => 1' },
      handler: 'index.handler',
      errorType: 'Runtime.HandlerNotFound',
    },
    {
      description: 'a missing module',
      files: { 'other.mjs': '' },
      handler: 'index.handler',
      errorType: 'Runtime.ImportModuleError',
    },
    {
      description: 'a callback handler (three parameters)',
      files: { 'index.mjs': 'export const handler = async (event, context, callback) => 1' },
      handler: 'index.handler',
      errorType: 'Runtime.CallbackHandlerDeprecated',
    },
    {
      description: 'a handler string with ".."',
      files: { 'index.mjs': 'export const handler = async () => 1' },
      handler: '../index.handler',
      errorType: 'Runtime.MalformedHandlerName',
    },
    {
      description: 'a syntax error',
      files: { 'index.mjs': 'export const handler = async () => {' },
      handler: 'index.handler',
      errorType: 'Runtime.UserCodeSyntaxError',
    },
    {
      description: 'a module that throws at init',
      files: { 'index.mjs': 'throw new TypeError("no config")' },
      handler: 'index.handler',
      errorType: 'TypeError',
    },
  ])(
    'the emulator fails init on $description with $errorType',
    async ({ description, files, handler, errorType }) => {
      const root = task(description.replace(/\W+/g, '-'), files)
      await withEmulator({ bundle: root, handler }, async (emulator) => {
        const result = await emulator.invoke({})
        expect(result.error?.errorType).toBe(errorType)
      })
    },
  )

  it('the emulator stops a function at its timeout and starts the next call cold', async () => {
    const root = task('timeout', {
      'index.mjs':
        'export const handler = async (event) => event.hang ? new Promise(() => setInterval(() => {}, 1000)) : ({ ok: true })',
    })
    await withEmulator({ bundle: root, timeout: 1 }, async (emulator) => {
      const hung = await emulator.invoke({ hang: true })
      expect(hung.error).toEqual({
        errorType: 'Sandbox.Timedout',
        errorMessage: 'Task timed out after 1.00 seconds',
      })
      const next = await emulator.invoke({})
      expect(next.payload).toEqual({ ok: true })
      expect(next.initDuration).toBeGreaterThan(0)
    })
  })

  it('the emulator fails a function whose init never finishes', async () => {
    const root = task('init-hang', {
      'index.mjs':
        'await new Promise(() => setInterval(() => {}, 1000))\nexport const handler = async () => 1',
    })
    await withEmulator({ bundle: root, timeout: 1, initTimeout: 0.5 }, async (emulator) => {
      const result = await emulator.invoke({})
      expect(result.error).toEqual({
        errorType: 'Runtime.InitTimeout',
        errorMessage: 'Init did not finish within 1.50 seconds',
      })
    })
  })

  it('the emulator reports a function process that exits mid-invocation', async () => {
    const root = task('exit', { 'index.mjs': 'export const handler = async () => process.exit(3)' })
    await withEmulator({ bundle: root }, async (emulator) => {
      const result = await emulator.invoke({})
      expect(result.error?.errorType).toBe('Runtime.ExitError')
      expect(result.error?.errorMessage).toContain('exit status 3')
    })
  })

  it('the emulator hands the function the Lambda environment and context', async () => {
    const root = task('context', {
      'index.mjs': `export const handler = async (event, context) => ({
        env: Object.fromEntries(['AWS_LAMBDA_FUNCTION_NAME', 'AWS_LAMBDA_FUNCTION_MEMORY_SIZE', 'LAMBDA_TASK_ROOT', '_HANDLER', 'AWS_LAMBDA_LOG_GROUP_NAME', 'GREETING'].map((k) => [k, process.env[k]])),
        trace: typeof process.env._X_AMZN_TRACE_ID,
        requestId: context.awsRequestId,
        memory: context.memoryLimitInMB,
        remaining: context.getRemainingTimeInMillis() > 0 && context.getRemainingTimeInMillis() <= 2000,
      })`,
    })
    await withEmulator(
      {
        bundle: root,
        name: 'ctx',
        timeout: 2,
        memory: 256,
        env: { GREETING: 'hi' },
      },
      async (emulator) => {
        const result = await emulator.invoke({})
        expect(result.payload).toEqual({
          env: {
            AWS_LAMBDA_FUNCTION_NAME: 'ctx',
            AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
            LAMBDA_TASK_ROOT: root,
            _HANDLER: 'index.handler',
            AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/ctx',
            GREETING: 'hi',
          },
          trace: 'string',
          requestId: result.requestId,
          memory: '256',
          remaining: true,
        })
      },
    )
  })
})

describe('response streaming and the HTTP bridge', () => {
  it('the bundle streams a Function URL response with the HTTP prelude when streaming is on', async () => {
    await withEmulator({ bundle, env: { MANIFOLD_TEST_STREAM: '1' } }, async (emulator) => {
      const result = await emulator.invoke(sampleEvent('function-url', { path: '/count', query: 'to=3' }))
      expect(result.error).toBeUndefined()
      const decoded = decodeStream(result.stream as Uint8Array)
      expect(decoded?.status).toBe(200)
      expect(decoded?.headers['content-type']).toBe('application/x-ndjson; charset=utf-8')
      expect(decoded?.body.toString('utf8')).toBe('{"n":1}\n{"n":2}\n{"n":3}\n')
      // A direct invocation of the same streaming function still returns its JSON result.
      expect((await emulator.invoke({ op: 'get', input: { id: '1' } })).payload).toEqual({
        id: '1',
        title: 'Note 1',
      })
    })
  })

  it('lambda serve answers plain HTTP requests through Function URL events and raw events on the invoke path', async () => {
    const emulator = await serveLambda({ bundle, log: silent })
    try {
      const res = await fetch(`${emulator.url}/notes/9`)
      expect(res.status).toBe(200)
      expect(await res.json()).toEqual({ id: '9', title: 'Note 9' })
      const missing = await fetch(`${emulator.url}/notes/404`)
      expect(missing.status).toBe(404)
      expect(missing.headers.get('content-type')).toBe('application/problem+json')
      const raw = await fetch(`${emulator.url}/2015-03-31/functions/function/invocations`, {
        method: 'POST',
        body: JSON.stringify({ op: 'get', input: { id: '3' } }),
      })
      expect(await raw.json()).toEqual({ id: '3', title: 'Note 3' })
    } finally {
      await emulator.close()
    }
  })
})

describe('manifold lambda invoke', () => {
  const cli = new URL('../../packages/tool/src/bin/manifold.ts', import.meta.url).pathname
  const run = async (args: string[]) => {
    try {
      const { stdout, stderr } = await promisify(execFile)(
        process.execPath,
        ['--import', 'tsx', '--conditions=source', cli, 'lambda', 'invoke', bundle, ...args],
        { encoding: 'utf8' },
      )
      return { code: 0, stdout, stderr }
    } catch (error) {
      const e = error as { code: number; stdout: string; stderr: string }
      return { code: e.code, stdout: e.stdout, stderr: e.stderr }
    }
  }

  it.each([
    {
      description: 'prints the output of a direct invocation',
      args: ['--event', 'direct', '--data', '{"op":"get","input":{"id":"5"}}', '--json'],
      code: 0,
      stdout: '{"id":"5","title":"Note 5"}\n',
      stderr: /REPORT RequestId: .*Init Duration/,
    },
    {
      description: 'exits with the exit code of the error code when the function fails',
      args: ['--event', 'direct', '--data', '{"op":"get","input":{"id":"404"}}'],
      code: 66,
      stdout: '',
      stderr: /No note "404"/,
    },
    {
      description: 'says what to pass for an event that is neither a file nor a kind',
      args: ['--event', 'nope'],
      code: 64,
      stdout: '',
      stderr: /Cannot read --event "nope": it is neither a file nor a kind/,
    },
  ])('manifold lambda invoke $description', async ({ args, code, stdout, stderr }) => {
    const result = await run(args)
    expect(result.code).toBe(code)
    expect(result.stdout).toBe(stdout)
    expect(result.stderr).toMatch(stderr)
  })
})

describe('manifold lambda serve', () => {
  it('manifold lambda serve answers HTTP on the port it prints and stops with exit code 130 on Ctrl-C', async () => {
    const cli = new URL('../../packages/tool/src/bin/manifold.ts', import.meta.url).pathname
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--conditions=source', cli, 'lambda', 'serve', bundle, '--port', '0'],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    )
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let text = ''
        child.stderr.on('data', (chunk: Buffer) => {
          text += chunk.toString('utf8')
          const found = /Lambda environment on (http:\/\/127\.0\.0\.1:\d+)/.exec(text)
          if (found !== null) resolve(found[1] as string)
        })
        child.on('exit', () => reject(new Error(`lambda serve exited early: ${text}`)))
      })
      const res = await fetch(`${url}/notes/11`)
      expect(await res.json()).toEqual({ id: '11', title: 'Note 11' })
      child.kill('SIGINT')
      expect(await exited).toBe(130)
    } finally {
      child.kill('SIGKILL')
    }
  })
})
