import { parseArgs } from 'node:util'
import { describe, expect, it } from 'vitest'
import { tokenize } from './parse-argv.ts'

// The tokenizer replaces node:util parseArgs (strict: false, positionals allowed) to start
// faster; it must split argv exactly as parseArgs does.
const options = {
  name: { type: 'string' },
  format: { type: 'string' },
  json: { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
  yes: { type: 'boolean', short: 'y' },
  limit: { type: 'string', short: 'n' },
  'filter.tag': { type: 'string' },
} as const

const cases: string[][] = [
  [],
  ['--name', 'Bob'],
  ['--name=Bob'],
  ['--name=a=b'],
  ['--name='],
  ['--name', '--json'],
  ['--name'],
  ['--json', 'pos', '--quiet'],
  ['--json=false'],
  ['-q', '-y'],
  ['-qy'],
  ['-qn', '5'],
  ['-n5'],
  ['-qn5'],
  ['-n', '-5'],
  ['-n'],
  ['-x', 'y'],
  ['-xz'],
  ['-'],
  ['a', '-', 'b'],
  ['--', '--name', 'x', '-q'],
  ['x', '--', '--'],
  ['--unknown', 'value'],
  ['--unknown=value'],
  ['--no-json'],
  ['--filter.tag', 'work', '--filter.tag=home'],
  ['-5'],
  ['--é', 'ü'],
]

describe('tokenize', () => {
  it.each(cases.map((c) => [c.join(' ') || '(empty)', c]))('splits %s as parseArgs does', (_, args) => {
    const { tokens } = parseArgs({ args, options, strict: false, allowPositionals: true, tokens: true })
    const expected = tokens
      .filter((t) => t.kind !== 'option-terminator')
      .map((t) =>
        t.kind === 'positional'
          ? { kind: t.kind, value: t.value }
          : { kind: t.kind, name: t.name, rawName: t.rawName, value: t.value },
      )
    const types = new Map(Object.entries(options).map(([k, v]) => [k, v.type]))
    const shorts = new Map(
      Object.entries(options).flatMap(([k, v]) => ('short' in v ? [[v.short, k] as const] : [])),
    )
    expect(tokenize(args, types, shorts)).toEqual(expected)
  })
})
