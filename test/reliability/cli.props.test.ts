/**
 * The CLI parser against random argv, in process: every run ends with an exit code of the
 * table, errors go to stderr (as one problem line with --json), nothing throws out of runCli,
 * and no argv changes a prototype.
 */
import fc from 'fast-check'
import { runCli } from 'manifold/cli'
import { describe, expect, it } from 'vitest'
import {
  exitCodes,
  expectNoLeak,
  expectProblem,
  expectPrototypesIntact,
  prototypeFingerprint,
} from './check.ts'
import { fixture } from './fixture/app.ts'

interface Run {
  readonly code: number
  readonly exits: number[]
  readonly stdout: string
  readonly stderr: string
}

const emptyStdin = Object.assign(
  (async function* () {
    // no input
  })(),
  { isTTY: false },
)

async function run(argv: readonly string[]): Promise<Run> {
  let stdout = ''
  let stderr = ''
  const exits: number[] = []
  const code = await runCli(fixture, {
    argv,
    env: { NO_COLOR: '1' },
    stdin: emptyStdin,
    stdout: { write: (chunk: string) => (stdout += chunk) },
    stderr: { write: (chunk: string) => (stderr += chunk) },
    exit: (c) => exits.push(c),
    isTTY: false,
    columns: 80,
    handleSignals: false,
  })
  return { code, exits, stdout, stderr }
}

const words = [
  'echo',
  'items',
  'get',
  'search',
  'slow',
  'boom',
  'whoami',
  'count',
  'help',
  'nope',
  'completion',
]
const flags = [
  '--text',
  '--n',
  '--flag',
  '--no-flag',
  '--tags',
  '--id',
  '--q',
  '--limit',
  '--exact',
  '--ms',
  '--to',
  '--input',
  '--json',
  '--format',
  '--yes',
  '--quiet',
  '--help',
  '-h',
  '--version',
  '--no-input',
  '--color',
  '--',
  '-',
  '-x',
  '--unknown',
  '--__proto__',
  '--constructor',
  '--proto.polluted',
  '--input.__proto__.x',
]
const values = fc.oneof(
  fc.constantFrom(
    '',
    '1',
    '-1',
    '0',
    '1e3',
    'NaN',
    'true',
    'false',
    'ten',
    '@/nonexistent.json',
    '-',
    '{"text":"a"}',
    '{"__proto__":{"polluted":1}}',
    '{"constructor":{"prototype":{"x":1}}}',
    '[1,2]',
    'null',
    'ndjson',
    'yaml',
    'json',
    'table',
    '\u0000',
    '💥',
    '%s%n',
    '--text=x',
    '=',
    '1'.repeat(400),
  ),
  fc.string({ maxLength: 12 }),
  fc.integer().map(String),
  fc.double().map(String),
)
const token = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...words) },
  { weight: 4, arbitrary: fc.constantFrom(...flags) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...flags), values).map(([f, v]) => `${f}=${v}`) },
  { weight: 3, arbitrary: values },
)
const text = fc.string({ maxLength: 12 })
/** Well-formed commands, so the random tokens around them reach handlers, not only the parser. */
const command = fc.oneof(
  fc
    .tuple(text, fc.array(text, { maxLength: 3 }))
    .map(([t, tags]) => ['echo', '--text', t, ...tags.flatMap((x) => ['--tags', x])]),
  fc.integer({ min: -2, max: 3 }).map((id) => ['items', 'get', String(id)]),
  fc
    .tuple(text, fc.integer({ min: 0, max: 60 }))
    .map(([q, n]) => ['items', 'search', '--q', q, '--limit', String(n)]),
  fc.constant<string[]>(['boom']),
  fc.constant<string[]>(['whoami']),
  fc.integer({ min: 0, max: 3 }).map((to) => ['count', '--to', String(to)]),
  fc.jsonValue({ maxDepth: 2 }).map((v) => ['echo', '--input', JSON.stringify(v)]),
)
const argv = fc.oneof(
  fc.array(token, { maxLength: 8 }),
  fc.tuple(command, fc.array(token, { maxLength: 2 })).map(([c, extra]) => [...c, ...extra]),
  command,
)

// `--ms` may ask the slow operation to wait; keep each run short.
const bounded = (list: string[]) => list.map((t) => (/^\d{3,}$/.test(t) ? '5' : t))

describe('runCli against random argv', () => {
  it('ends every run with one exit code of the table and never throws', async () => {
    const before = prototypeFingerprint()
    await fc.assert(
      fc.asyncProperty(argv, async (raw) => {
        const list = bounded(raw)
        const result = await run(list)
        expect(exitCodes.has(result.code), `exit ${result.code} for ${JSON.stringify(list)}`).toBe(true)
        // When runCli calls exit, it calls it once, with the code it returns.
        expect(result.exits.length).toBeLessThanOrEqual(1)
        if (result.exits.length === 1) expect(result.exits[0]).toBe(result.code)
        if (result.code !== 0) expect(result.stderr.trim().length).toBeGreaterThan(0)
        if (result.code === 70) expectNoLeak(result.stderr + result.stdout)
        expectPrototypesIntact(before)
      }),
      { numRuns: 300, seed: Number(process.env.FC_SEED ?? 1), endOnFailure: true },
    )
  })

  it('writes one problem line to stderr for every failure with --json', async () => {
    const before = prototypeFingerprint()
    await fc.assert(
      fc.asyncProperty(argv, async (raw) => {
        const list = ['--json', ...bounded(raw).filter((t) => t !== '--' && !t.startsWith('--format'))]
        const result = await run(list)
        if (result.code === 0) return
        const lines = result.stderr.trim().split('\n')
        const last = lines.at(-1) ?? ''
        const { code } = expectProblem(JSON.parse(last))
        expect(result.code, `${JSON.stringify(list)} -> ${last}`).toBe(
          {
            usage: 64,
            invalid_input: 65,
            unauthenticated: 77,
            permission_denied: 77,
            not_found: 66,
            conflict: 65,
            payload_too_large: 65,
            unsupported_media_type: 65,
            rate_limited: 75,
            cancelled: 130,
            internal: 70,
            unavailable: 69,
            timeout: 75,
          }[code],
        )
        expectPrototypesIntact(before)
      }),
      { numRuns: 200, seed: Number(process.env.FC_SEED ?? 2), endOnFailure: true },
    )
  })

  it.each([
    [['boom'], 70],
    [['items', 'get', '42'], 66],
    [['items', 'get', 'ten'], 65],
    [['nope'], 64],
    [['whoami'], 77],
    [['echo', '--input', '{"__proto__":{"polluted":1}}'], 0],
  ])('answers %j with exit code %i', async (list, code) => {
    const before = prototypeFingerprint()
    const result = await run(list)
    expect(result.code).toBe(code)
    expectPrototypesIntact(before)
  })
})
