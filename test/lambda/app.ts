/**
 * The app the Lambda tests route fixtures to: one operation per path the AWS sample events
 * use, each echoing what arrived (decoded query or body, and the principal built from the
 * authorizer claims), plus SQS, EventBridge and failure cases.
 */
import { app, NotFound, op, RateLimited, Unavailable } from 'manifold'
import * as z from 'zod'

const loose = z.looseObject({})

const echo = (name: string, method: 'GET' | 'POST' | 'PUT', path: string, input = loose) =>
  op({
    name,
    input,
    http: { method, path },
    handler: (input, ctx) => ({ op: name, input, principal: ctx.principal ?? null, surface: ctx.surface }),
  })

/** Records every call that succeeded, so tests can tell done records from the others. */
export const done: string[] = []

const importNote = op({
  name: 'import',
  input: z.object({ id: z.string(), title: z.string() }),
  handler: ({ id, title }) => {
    if (title === 'flaky') throw new Unavailable(`Store is down for "${id}"`)
    if (title === 'missing') NotFound.throw(`No folder for "${id}"`)
    if (title === 'busy') RateLimited.throw('Slow down')
    if (title === 'bug') throw new Error('boom')
    done.push(id)
    return { id }
  },
})

const get = op({
  name: 'get',
  input: z.object({ id: z.string() }),
  output: z.object({ id: z.string(), title: z.string() }),
  readOnly: true,
  http: { method: 'GET', path: '/notes/{id}' },
  handler: ({ id }) => (id === '404' ? NotFound.throw(`No note "${id}"`) : { id, title: `Note ${id}` }),
})

const cleanup = op({
  name: 'cleanup',
  input: z.looseObject({}).optional(),
  handler: (input) => ({ cleaned: true, detail: input ?? null }),
})

const slow = op({
  name: 'slow',
  input: z.object({ ms: z.number() }),
  handler: ({ ms }, ctx) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => resolve({ slept: ms }), ms)
      ctx.signal.addEventListener('abort', () => {
        clearTimeout(timer)
        reject(ctx.signal.reason)
      })
    }),
})

const stuck = op({
  name: 'stuck',
  // Ignores its signal on purpose: the adapter's own race must still answer in time.
  handler: () => new Promise(() => {}),
})

const count = op({
  name: 'count',
  input: z.object({ to: z.number() }),
  http: { method: 'GET', path: '/count' },
  handler: async function* ({ to }) {
    for (let i = 1; i <= to; i++) yield { n: i }
  },
})

export default app({
  name: 'lambda-test',
  version: '1.0.0',
  operations: [
    echo('root', 'GET', '/'),
    echo('myPathGet', 'GET', '/my/path', z.looseObject({ parameter1: z.array(z.string()).optional() })),
    echo('myPathPost', 'POST', '/my/path'),
    echo('prodPath', 'POST', '/Prod/my/path'),
    echo('hello', 'POST', '/hello'),
    echo('helloWorld', 'POST', '/hello/world'),
    echo('rootPost', 'POST', '/'),
    echo('noAuth', 'POST', '/no-auth'),
    echo('cognito', 'POST', '/cognito'),
    echo('lambdaGet', 'GET', '/lambda'),
    echo('lambdaPost', 'POST', '/lambda'),
    echo('resource', 'POST', '/path/to/resource'),
    echo('binary', 'PUT', '/api/binary'),
    echo('rawQuery', 'GET', '/api/rawquerystring/json'),
    echo('test', 'GET', '/test'),
    importNote,
    get,
    cleanup,
    slow,
    stuck,
    count,
  ],
  auth: (credentials) => {
    const claims = credentials.claims
    if (claims === undefined) return undefined
    return { user: String(claims.sub ?? claims.principalId ?? claims.userArn ?? 'claims') }
  },
})
