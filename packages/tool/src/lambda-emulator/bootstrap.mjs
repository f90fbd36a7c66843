// The runtime client of `manifold lambda serve`: what AWS's Node.js runtime does in a Lambda
// execution environment, in one file with no dependencies. It finds the handler from `_HANDLER`
// (LAMBDA.md section 1), installs the `awslambda` global, then loops on the Runtime API
// (section 5): GET /next, call the handler, POST /response or /error. Plain JavaScript on
// purpose: the function process must not load a TypeScript loader, as on Lambda.
import { existsSync, readFileSync } from 'node:fs'
import { request } from 'node:http'
import { dirname, join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'

const api = process.env.AWS_LAMBDA_RUNTIME_API
const base = `http://${api}/2018-06-01/runtime`
const streaming = Symbol.for('manifold.lambda.streaming')

function send(method, path, body, headers = {}) {
  return new Promise((done, fail) => {
    const req = request(`${base}${path}`, { method, headers }, (res) => {
      const chunks = []
      res.on('data', (c) => chunks.push(c))
      res.on('end', () => done({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }))
    })
    req.on('error', fail)
    req.end(body)
  })
}

function errorBody(error) {
  const e = error instanceof Error ? error : new Error(String(error))
  return {
    errorType: e.name || 'Error',
    errorMessage: e.message,
    trace: typeof e.stack === 'string' ? e.stack.split('\n') : [],
  }
}

function postError(path, error, type) {
  const body = errorBody(error)
  if (type !== undefined) body.errorType = type
  return send('POST', path, JSON.stringify(body), {
    'content-type': 'application/json',
    'lambda-runtime-function-error-type': body.errorType,
  })
}

class RuntimeError extends Error {
  constructor(name, message) {
    super(message)
    this.name = name
  }
}

/** `<dir>/<file>.<export path>` as the RIC splits it: the module ends at the first dot of the last segment. */
function splitHandler(handler) {
  if (handler.includes('..'))
    throw new RuntimeError(
      'Runtime.MalformedHandlerName',
      `Bad handler "${handler}": it may not contain ".."`,
    )
  const slash = handler.lastIndexOf('/')
  const dot = handler.indexOf('.', slash + 1)
  if (dot === -1)
    throw new RuntimeError(
      'Runtime.MalformedHandlerName',
      `Bad handler "${handler}": expected "<file>.<export>"`,
    )
  return [handler.slice(0, dot), handler.slice(dot + 1)]
}

function findModule(root, name) {
  for (const ext of ['', '.js', '.mjs', '.cjs']) {
    const file = resolve(root, name + ext)
    if (existsSync(file) && !file.endsWith('/')) return file
  }
  throw new RuntimeError(
    'Runtime.ImportModuleError',
    `Cannot find module "${name}" in "${root}" (tried "", ".js", ".mjs", ".cjs")`,
  )
}

/** `.js` is CommonJS unless the nearest package.json says `"type": "module"` (LAMBDA.md section 1). */
function isEsm(file) {
  if (file.endsWith('.mjs')) return true
  if (file.endsWith('.cjs')) return false
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json')
    if (existsSync(pkg)) return JSON.parse(readFileSync(pkg, 'utf8')).type === 'module'
    if (dirname(dir) === dir) return false
  }
}

async function loadHandler() {
  const root = process.env.LAMBDA_TASK_ROOT ?? process.cwd()
  const [name, path] = splitHandler(process.env._HANDLER ?? 'index.handler')
  const file = findModule(root, name)
  let mod
  if (isEsm(file)) mod = await import(pathToFileURL(file).href)
  else {
    const { createRequire } = await import('node:module')
    mod = createRequire(file)(file)
  }
  let fn = mod
  for (const key of path.split('.')) fn = fn?.[key]
  if (fn === undefined && mod?.default !== undefined) {
    fn = mod.default
    for (const key of path.split('.')) fn = fn?.[key]
  }
  if (typeof fn !== 'function') {
    throw new RuntimeError('Runtime.HandlerNotFound', `${name}.${path} is undefined or not exported`)
  }
  // Node.js 24's runtime client refuses callback handlers, judged by the declared parameter count.
  if (fn[streaming] !== true && fn.length >= 3) {
    throw new RuntimeError(
      'Runtime.CallbackHandlerDeprecated',
      `${name}.${path} declares ${fn.length} parameters; callback handlers are not supported on Node.js 24: use an async function of (event, context)`,
    )
  }
  return fn
}

const HttpResponseStream = {
  from(stream, prelude) {
    stream.setContentType('application/vnd.awslambda.http-integration-response')
    stream.write(JSON.stringify(prelude))
    stream.write(new Uint8Array(8))
    return stream
  },
}

globalThis.awslambda = {
  streamifyResponse(fn) {
    fn[streaming] = true
    return fn
  },
  HttpResponseStream,
}

function context(headers) {
  const deadline = Number(headers['lambda-runtime-deadline-ms'])
  const env = process.env
  return {
    awsRequestId: headers['lambda-runtime-aws-request-id'],
    invokedFunctionArn: headers['lambda-runtime-invoked-function-arn'],
    functionName: env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: env.AWS_LAMBDA_FUNCTION_VERSION,
    memoryLimitInMB: env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    logGroupName: env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: env.AWS_LAMBDA_LOG_STREAM_NAME,
    xRayTraceId: headers['lambda-runtime-trace-id'],
    clientContext: headers['lambda-runtime-client-context']
      ? JSON.parse(headers['lambda-runtime-client-context'])
      : undefined,
    identity: headers['lambda-runtime-cognito-identity']
      ? JSON.parse(headers['lambda-runtime-cognito-identity'])
      : undefined,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => deadline - Date.now(),
  }
}

/** Runs a streaming handler over one chunked POST, errors as trailers (LAMBDA.md section 4). */
function runStreaming(fn, id, event, ctx) {
  return new Promise((done) => {
    const req = request(`${base}/invocation/${id}/response`, {
      method: 'POST',
      headers: {
        'lambda-runtime-function-response-mode': 'streaming',
        'transfer-encoding': 'chunked',
        trailer: 'Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body',
        'content-type': 'application/octet-stream',
      },
    })
    req.on('response', (res) => {
      res.resume()
      res.on('end', done)
    })
    req.on('error', done)
    const stream = {
      setContentType: (type) => req.setHeader('content-type', type),
      write: (chunk) => req.write(chunk),
      end: (chunk) => {
        if (!req.writableEnded) req.end(chunk)
      },
    }
    Promise.resolve()
      .then(() => fn(event, stream, ctx))
      .then(
        () => stream.end(),
        (error) => {
          const body = errorBody(error)
          req.addTrailers({
            'Lambda-Runtime-Function-Error-Type': body.errorType,
            'Lambda-Runtime-Function-Error-Body': Buffer.from(JSON.stringify(body)).toString('base64'),
          })
          stream.end()
        },
      )
  })
}

let handler
try {
  handler = await loadHandler()
} catch (error) {
  const type = error instanceof SyntaxError ? 'Runtime.UserCodeSyntaxError' : undefined
  console.error(JSON.stringify({ level: 'error', msg: 'init failed', ...errorBody(error) }))
  await postError('/init/error', error, type)
  process.exit(1)
}

for (;;) {
  const next = await send('GET', '/invocation/next')
  const id = next.headers['lambda-runtime-aws-request-id']
  const trace = next.headers['lambda-runtime-trace-id']
  if (trace !== undefined) process.env._X_AMZN_TRACE_ID = trace
  else delete process.env._X_AMZN_TRACE_ID
  const ctx = context(next.headers)
  let event
  try {
    event = JSON.parse(next.body.toString('utf8'))
  } catch (error) {
    await postError(`/invocation/${id}/error`, error, 'Runtime.UnmarshalError')
    continue
  }
  if (handler[streaming] === true) {
    await runStreaming(handler, id, event, ctx)
    continue
  }
  try {
    const result = await handler(event, ctx)
    await send('POST', `/invocation/${id}/response`, JSON.stringify(result ?? null), {
      'content-type': 'application/json',
    })
  } catch (error) {
    await postError(`/invocation/${id}/error`, error)
  }
}
