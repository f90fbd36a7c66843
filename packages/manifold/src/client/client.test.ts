import { isManifoldError, type ManifoldError, NotFound } from 'manifold'
import { client } from 'manifold/client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fixture } from '../../../../test/http/fixture.ts'
import { type Started, startFixture } from '../../../../test/http/helpers.ts'

let server: Started
beforeAll(async () => {
  server = await startFixture()
})
afterAll(async () => {
  await server.close()
})

async function failure(promise: Promise<unknown>): Promise<ManifoldError> {
  try {
    await promise
  } catch (error) {
    if (isManifoldError(error)) return error
    throw error
  }
  throw new Error('expected the call to fail')
}

const modes = [
  { name: 'routes from the app', withApp: true },
  { name: 'routes from /openapi.json', withApp: false },
]

describe.each(modes)('client() with $name', ({ withApp }) => {
  const make = (headers?: Record<string, string>) =>
    client<typeof fixture>({
      baseUrl: server.url,
      ...(withApp ? { app: fixture } : {}),
      ...(headers === undefined ? {} : { headers }),
    })

  it('client() calls nested methods by dotted name', async () => {
    const c = make()
    expect(await c.notes.get({ id: '1' })).toEqual({ id: '1', title: 'First', tags: ['a'] })
    expect(await c.notes.search({ q: 'x', limit: 2, tags: ['a', 'b'] })).toEqual({
      q: 'x',
      limit: 2,
      tags: ['a', 'b'],
    })
    expect(await c.ping()).toEqual({ pong: true })
    expect(await c.pages.get({ book: 'a/b c', n: 3 })).toEqual({ book: 'a/b c', n: 3, type: 'number' })
  })

  it('client() calls by a name known at run time with $call', async () => {
    const c = make()
    const name: 'notes.add' = 'notes.add'
    expect(await c.$call(name, { title: 'via $call' })).toEqual(
      expect.objectContaining({ title: 'via $call' }),
    )
  })

  it('client() resolves undefined for a 204', async () => {
    expect(await make().noop({})).toBeUndefined()
  })

  it('client() streams items of a streaming operation', async () => {
    const items: unknown[] = []
    for await (const item of await make().tick({ n: 3 })) items.push(item)
    expect(items).toEqual([{ i: 0 }, { i: 1 }, { i: 2 }])
  })

  it('client() throws the server error mid-stream as the same ManifoldError', async () => {
    const items: unknown[] = []
    const error = await failure(
      (async () => {
        for await (const item of await make().tick({ n: 5, failAt: 1 })) items.push(item)
      })(),
    )
    expect(items).toEqual([{ i: 0 }])
    expect(error.code).toBe('invalid_input')
    expect(error.message).toBe('Failed at 1')
  })

  it('client() throws the same error class, code, message, hint and field errors', async () => {
    const c = make()
    const missing = await failure(c.notes.get({ id: 'zz' }))
    expect(missing).toBeInstanceOf(NotFound)
    expect(missing.message).toBe('No note "zz"')
    const invalid = await failure(c.strict({ name: 'a', age: -1, email: 'x' }))
    expect(invalid.code).toBe('invalid_input')
    expect(invalid.errors.map((e) => e.path).sort()).toEqual(['age', 'email', 'name'])
    const denied = await failure(make({ authorization: 'Bearer bad' }).whoami())
    expect([denied.code, denied.hint]).toEqual(['unauthenticated', 'Log in again'])
  })

  it('client() sends its headers', async () => {
    expect(await make({ authorization: 'Bearer good' }).whoami()).toEqual({ principal: { user: 'ada' } })
  })

  it('client() rejects an unknown operation name with usage', async () => {
    const c = make() as unknown as { $call(name: string): Promise<unknown> }
    expect((await failure(c.$call('nope'))).code).toBe('usage')
  })
})

describe('client() failures outside the API', () => {
  it('client() turns an abort into cancelled', async () => {
    const c = client<typeof fixture>({ baseUrl: server.url, app: fixture })
    const error = await failure(c.slow({ ms: 5000 }, { signal: AbortSignal.timeout(50) }))
    expect(error.code).toBe('cancelled')
  })

  it('client() turns a refused connection into unavailable with a hint', async () => {
    const c = client<typeof fixture>({ baseUrl: 'http://127.0.0.1:1', app: fixture })
    const error = await failure(c.ping())
    expect(error.code).toBe('unavailable')
    expect(error.message).toMatch(/^Cannot reach POST http:\/\/127\.0\.0\.1:1\/ping/)
  })

  it('client() maps a non-problem error page to a code by its status', async () => {
    const c = client<typeof fixture>({
      baseUrl: 'http://lb.example',
      app: fixture,
      fetch: async () => new Response('<html>Bad gateway</html>', { status: 502 }),
    })
    const error = await failure(c.ping())
    expect(error.code).toBe('unavailable')
    expect(error.message).toBe('POST http://lb.example/ping answered HTTP 502')
  })
})
