import { app, op } from 'manifold'
import { describe, expect, it } from 'vitest'
import { createRouter } from './router.ts'

const routed = (...paths: string[]) =>
  createRouter(
    app({
      name: 'r',
      version: '1',
      operations: paths.map((path, i) =>
        op({ name: `op${i}`, http: { method: 'GET', path }, handler: () => null }),
      ),
    }),
  )

/** The path template a lookup lands on, and its parameter values. */
function found(router: ReturnType<typeof routed>, path: string): [string, readonly string[]] | undefined {
  const match = router.find(path)
  const binding = match?.entry.methods.get('GET')
  if (match === undefined || binding === undefined) return undefined
  return [String(binding.op.http === false ? '' : binding.op.http.path), match.values ?? []]
}

describe('createRouter()', () => {
  const router = routed('/notes/{id}', '/notes/search', '/notes/{id}/tags/{tag}', '/a//{x}', '/hello')

  it('finds literal paths and templated ones, literal segments first', () => {
    expect(found(router, '/hello')).toEqual(['/hello', []])
    expect(found(router, '/notes/search')).toEqual(['/notes/search', []])
    expect(found(router, '/notes/42')).toEqual(['/notes/{id}', ['42']])
    expect(found(router, '/notes/42/tags/red')).toEqual(['/notes/{id}/tags/{tag}', ['42', 'red']])
    expect(found(router, '/a//b')).toEqual(['/a//{x}', ['b']])
  })

  it('matches whole segments only', () => {
    for (const path of [
      '/note/42',
      '/notesx/42',
      '/notesx42',
      '/notes',
      '/notes/',
      '/notes/42/tags',
      '/notes/42/tag/red',
      '/notes/42/tags/red/x',
      '/notes/42/tagsx/red',
      '/a/b',
      '/a/x/b',
    ]) {
      expect(found(router, path), path).toBeUndefined()
    }
  })
})
