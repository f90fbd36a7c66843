import { describe, expect, it } from 'vitest'
import { pathParams, segmentParam, templateKey } from './route.ts'

describe('path templates', () => {
  it.each([
    ['/notes/{id}', ['id'], '/notes/{}'],
    ['/a/{x}/b/{y}', ['x', 'y'], '/a/{}/b/{}'],
    ['/files/{name}.json', ['name'], '/files/{}.json'],
    ['/plain', [], '/plain'],
    ['/broken/{a/b}', [], '/broken/{a/b}'],
    ['/empty/{}', [], '/empty/{}'],
    ['/nested/{{x}}', ['{x'], '/nested/{}}'],
  ])('pathParams() and templateKey() read %s as the placeholder pattern does', (path, params, key) => {
    expect(pathParams(path)).toEqual(params)
    expect(templateKey(path)).toBe(key)
    // The pattern they replace, as the reference.
    expect([...path.matchAll(/\{([^}/]+)\}/g)].map((m) => m[1])).toEqual(params)
    expect(path.replace(/\{[^}/]+\}/g, '{}')).toBe(key)
  })

  it.each([
    ['{id}', 'id'],
    ['id', undefined],
    ['{id}.json', undefined],
    ['{}', undefined],
    ['{a}{b}', undefined],
  ])('segmentParam(%s) is the name of a whole-segment placeholder', (segment, name) => {
    expect(segmentParam(segment)).toBe(name)
    expect(/^\{([^}/]+)\}$/.exec(segment)?.[1]).toBe(name)
  })
})
