import { describe, expect, it } from 'vitest'
import { toYaml } from './yaml.ts'

describe('toYaml()', () => {
  it.each([
    ['a plain string', 'Hello, Ada!', 'Hello, Ada!\n'],
    ['a string that reads as a number', '42', '"42"\n'],
    ['a string that reads as a boolean', 'yes', '"yes"\n'],
    ['a string with ": "', 'a: b', '"a: b"\n'],
    ['a string with a newline', 'a\nb', '"a\\nb"\n'],
    ['an empty string', '', '""\n'],
    ['null', null, 'null\n'],
    ['a number', 1.5, '1.5\n'],
    ['an empty array and object', { a: [], b: {} }, 'a: []\nb: {}\n'],
    ['nested values', { a: { b: [1, { c: 'd' }] } }, 'a:\n  b:\n    - 1\n    - c: d\n'],
    ['an array of objects', [{ id: '1', tags: ['x'] }], '- id: "1"\n  tags:\n    - x\n'],
  ])('toYaml() writes %s', (_name, value, expected) => {
    expect(toYaml(value)).toBe(expected)
  })
})
