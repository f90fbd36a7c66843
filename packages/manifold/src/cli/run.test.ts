import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { app, op, toJson } from 'manifold'
import { type RunCliOptions, runCli } from 'manifold/cli'
import { describe, expect, it } from 'vitest'
import * as z from 'zod'
import fixture from '../../../../test/cli/fixture/app.ts'

interface Run {
  readonly code: number | undefined
  readonly out: string
  readonly err: string
}

async function run(
  argv: string[],
  options: Partial<RunCliOptions> & { input?: string; target?: typeof versioned } = {},
): Promise<Run> {
  let out = ''
  let err = ''
  let code: number | undefined
  await runCli(options.target ?? fixture, {
    argv,
    env: { PATH: '', ...(options.env ?? {}) },
    stdin: Readable.from(options.input === undefined ? [] : [options.input]),
    stdout: { write: (s: string) => (out += s), isTTY: options.isTTY ?? false },
    stderr: { write: (s: string) => (err += s), isTTY: options.isTTY ?? false },
    exit: (c) => {
      code = c
    },
    columns: options.columns ?? 80,
    ...(options.isTTY === undefined ? {} : { isTTY: options.isTTY }),
  })
  return { code, out, err }
}

// An operation with an integer positional and a field named like a global flag (`--version`).
const versioned = app({
  name: 'docs',
  version: '2.0.0',
  operations: [
    op({
      name: 'publish',
      input: z.object({ id: z.number().int(), version: z.number().int() }),
      cli: { positional: ['id'] },
      handler: ({ id, version }) => ({ id, version }),
    }),
  ],
})

describe('runCli() commands and flags', () => {
  it.each([
    ['a positional argument', ['greet', 'Ada'], { message: 'Hello, Ada!' }],
    ['a flag instead of the positional', ['greet', '--name', 'Ada'], { message: 'Hello, Ada!' }],
    ['--flag=value', ['greet', '--name=Ada'], { message: 'Hello, Ada!' }],
    ['a short alias with an integer', ['greet', 'Ada', '-n', '2'], { message: 'Hello, Ada! Hello, Ada!' }],
    ['a boolean flag', ['greet', 'Ada', '--shout'], { message: 'HELLO, ADA!' }],
    ['a negated boolean flag', ['greet', 'Ada', '--shout', '--no-shout'], { message: 'Hello, Ada!' }],
    ['global flags before the command', ['--json', 'greet', 'Ada'], { message: 'Hello, Ada!' }],
    ['"--" ending flags', ['greet', '--', '--odd-name'], { message: 'Hello, --odd-name!' }],
    ['a nested group command', ['items', 'list', '--limit', '1'], [{ id: '1' }]],
    ['a nested object flag', ['items', 'list', '--filter.tag', 'blue'], [{ id: '2' }]],
    [
      'repeated array flags and a kebab-case boolean',
      ['items', 'add', '--title', 't', '--priority', 'low', '--tags', 'a', '--tags', 'b', '--dry-run'],
      { title: 't', tags: ['a', 'b'], dryRun: true },
    ],
    [
      '--input JSON with flags on top',
      ['items', 'add', '--input', '{"title":"a","priority":"low","tags":["x"]}', '--title', 'b'],
      { title: 'b', tags: ['x'], priority: 'low' },
    ],
  ])('runCli() accepts %s', async (_name, argv, expected) => {
    const r = await run(['--json', ...argv])
    expect(r.err).toBe('')
    expect(r.code).toBe(0)
    expect(JSON.parse(r.out)).toMatchObject(expected)
  })

  it('runCli() reads the whole input from stdin with --input -', async () => {
    const r = await run(['greet', '--input', '-', '--json'], { input: '{"name":"Stdin","times":1}' })
    expect(r.out).toBe('{"message":"Hello, Stdin!"}\n')
  })

  it('runCli() reads the whole input from a file with --input @file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'manifold-cli-'))
    writeFileSync(join(dir, 'in.json'), '{"name":"File"}')
    const r = await run(['greet', '--input', `@${join(dir, 'in.json')}`, '--shout', '--json'])
    expect(r.out).toBe('{"message":"HELLO, FILE!"}\n')
  })

  it('runCli() prints exactly toJson(value) with --json', async () => {
    const r = await run(['items', 'list', '--limit', '2', '--json'])
    const { invoke } = await import('manifold')
    expect(r.out).toBe(toJson(await invoke(fixture, 'items.list', { limit: 2 })))
  })

  it.each([
    ['an unknown command', ['items', 'lst'], 64, 'Unknown command "lst" in "items"; did you mean "list"?'],
    ['an unknown top-level command', ['gret'], 64, 'did you mean "greet"?'],
    [
      'an unknown flag',
      ['greet', 'Ada', '--tims', '2'],
      64,
      'Unknown flag "--tims"; did you mean "--times"?',
    ],
    ['a flag without its value', ['greet', 'Ada', '--times'], 64, 'Flag "--times" needs a value'],
    ['an extra argument', ['greet', 'Ada', 'Bob'], 64, 'Unexpected argument "Bob"'],
    ['an unknown format', ['greet', 'Ada', '--format', 'xml'], 64, 'Unknown format "xml"'],
    ['bad --input JSON', ['greet', '--input', '{nope'], 64, 'Cannot parse the input from --input as JSON'],
    ['a missing --input file', ['greet', '--input', '@/nonexistent.json'], 64, 'Cannot read input file'],
    [
      'a remote URL that is not one',
      ['greet', 'Ada', '--remote', 'notaurl'],
      64,
      'Invalid remote URL "notaurl"',
    ],
    ['an unreachable remote', ['greet', 'Ada', '--remote', 'http://127.0.0.1:9'], 69, 'Cannot reach'],
    [
      'an integer that is not one',
      ['greet', 'Ada', '--times', 'ten'],
      65,
      'Cannot parse flag "--times": expected an integer, got "ten"',
    ],
    ['a value outside the enum', ['items', 'list', '--sort', 'date'], 65, 'expected one of "id", "title"'],
    ['a schema failure', ['items', 'list', '--limit', '0'], 65, '--limit: Too small'],
    ['a conflict', ['items', 'add', '--title', 'taken', '--priority', 'low'], 65, 'Hint: Pick another title'],
    ['a not found', ['items', 'remove', '404', '--yes'], 66, 'No item "404"'],
    ['an unavailable dependency', ['fail', '--kind', 'unavailable'], 69, 'The database is down'],
    ['a bug', ['fail', '--kind', 'bug'], 70, 'Error: Internal error'],
    ['a missing credential', ['whoami'], 77, 'requires authentication'],
    ['a destructive command without a terminal', ['items', 'remove', '1'], 64, 'Pass --yes'],
  ])('runCli() reports %s on stderr with its exit code', async (_name, argv, code, message) => {
    const r = await run(argv)
    expect(r.code).toBe(code)
    expect(r.out).toBe('')
    expect(r.err).toContain(message)
  })

  it('runCli() lists every failing field and the usage line for schema failures', async () => {
    const r = await run(['items', 'add', '--tags', 'x', '--dry-run=maybe'])
    expect(r.code).toBe(65)
    expect(r.err).toContain('Cannot parse flag "--dry-run": expected true or false, got "maybe"')
    expect(r.err).toContain('--title: missing, and required')
    expect(r.err).toContain('--priority: missing, and required')
    expect(r.err).toContain('Usage: fixture items add --title <string> --priority <low|high> [flags]')
  })

  it('runCli() writes the problem+json object on stderr with --json', async () => {
    const r = await run(['greet', 'Ada', '--times', 'ten', '--json'])
    expect(r.code).toBe(65)
    expect(r.out).toBe('')
    const problem = JSON.parse(r.err)
    expect(problem).toMatchObject({ code: 'invalid_input', status: 400, errors: [{ path: 'times' }] })
    expect(r.err).toBe(toJson(problem))
    const usage = await run(['nope', '--json'])
    expect(usage.err).toBe(toJson(JSON.parse(usage.err)))
    expect(JSON.parse(usage.err)).toMatchObject({ code: 'usage', status: 400 })
  })

  it('runCli() shows stacks only with --debug', async () => {
    expect((await run(['fail', '--kind', 'bug'])).err).not.toContain('at ')
    const debug = await run(['fail', '--kind', 'bug', '--debug'])
    expect(debug.err).toContain('Error: boom')
    expect(debug.err).toMatch(/\n {4}at /)
  })

  it('runCli() sends <APP>_TOKEN as credentials', async () => {
    const r = await run(['whoami', '--json'], { env: { FIXTURE_TOKEN: 'secret' } })
    expect(r.out).toBe('{"principal":{"user":"ada"}}\n')
  })
})

describe('runCli() output', () => {
  it('runCli() renders objects as aligned key: value', async () => {
    const r = await run([
      'items',
      'add',
      '--title',
      'Milk',
      '--priority',
      'high',
      '--tags',
      'a',
      '--tags',
      'b',
    ])
    expect(r.out).toBe('id:       9\ntitle:    Milk\ntags:     a, b\npriority: high\ndryRun:   false\n')
  })

  it('runCli() renders arrays of objects as a table that fits the terminal', async () => {
    const r = await run(['items', 'list', '--limit', '2'], { columns: 40 })
    expect(r.out).toMatchInlineSnapshot(`
      "ID  TITLE                           TAGS
      1   Item number 1 with a fairly l…  red
      2   Item number 2 with a fairly l…  blue
      "
    `)
    for (const line of r.out.trimEnd().split('\n')) expect([...line].length).toBeLessThanOrEqual(40)
  })

  it.each([
    ['ndjson', ['items', 'list', '--limit', '2', '--format', 'ndjson'], /^\{"id":"1".*\}\n\{"id":"2".*\}\n$/],
    ['yaml', ['greet', 'Ada', '--format', 'yaml'], /^message: Hello, Ada!\n$/],
    ['table', ['greet', 'Ada', '--format', 'table'], /^MESSAGE\nHello, Ada!\n$/],
    ['json', ['greet', 'Ada', '--format', 'json'], /^\{"message":"Hello, Ada!"\}\n$/],
  ])('runCli() writes --format %s', async (_name, argv, pattern) => {
    expect((await run(argv)).out).toMatch(pattern)
  })

  it('runCli() prints a stream as NDJSON lines with --json', async () => {
    const r = await run(['count', '--to', '3', '--json'])
    expect(r.out).toBe('{"n":1}\n{"n":2}\n{"n":3}\n')
  })

  it('runCli() writes progress as plain lines on stderr when it is not a terminal, and none with --quiet', async () => {
    const r = await run(['work', '--steps', '2'])
    expect(r.out).toBe('steps: 2\n')
    expect(r.err).toContain('progress 2/2 (100%) step 2')
    expect((await run(['work', '--steps', '2', '--quiet'])).err).toBe('')
  })

  it.each([
    ['a terminal', { isTTY: true }, [], true],
    ['a pipe', { isTTY: false }, [], false],
    ['a terminal with NO_COLOR', { isTTY: true, env: { NO_COLOR: '1' } }, [], false],
    ['a terminal with TERM=dumb', { isTTY: true, env: { TERM: 'dumb' } }, [], false],
    ['a pipe with FORCE_COLOR', { isTTY: false, env: { FORCE_COLOR: '1' } }, [], true],
    ['a terminal with --no-color', { isTTY: true }, ['--no-color'], false],
  ])('runCli() colours on %s: %s', async (_name, options, argv: string[], coloured) => {
    const r = await run(['items', 'list', '--limit', '1', ...argv], options)
    expect(r.out.includes('\x1b[')).toBe(coloured)
    // Colour never changes the text
    expect(r.out.replaceAll('\x1b[1m', '').replaceAll('\x1b[22m', '')).toContain('ID  TITLE')
  })
})

describe('runCli() help', () => {
  it('runCli() prints the help of a command: usage, examples, flags, environment, exit codes', async () => {
    const r = await run(['greet', '--help'])
    expect(r.code).toBe(0)
    expect(r.out.split('\n').slice(0, 7).join('\n')).toMatchInlineSnapshot(`
      "Usage: fixture greet <name> [flags]

      Examples:
        $ fixture greet Ada
        $ fixture greet Ada -n 2 --shout

      Say hello to someone"
    `)
    expect(r.out).toContain('    --name <string>    Who to greet (required)')
    expect(r.out).toContain('-n, --times <integer>  How many greetings (default: 1)')
    expect(r.out).toContain('--[no-]shout')
    expect(r.out).toContain('FIXTURE_DB')
    expect(r.out).toContain('65   invalid_input, conflict')
  })

  it.each([
    ['help <cmd>', ['help', 'items', 'add']],
    ['--help after the command', ['items', 'add', '--help']],
    ['-h before the command', ['-h', 'items', 'add']],
  ])('runCli() shows the same command help for %s', async (_name, argv) => {
    const r = await run(argv)
    expect(r.out).toContain('Usage: fixture items add --title <string> --priority <low|high> [flags]')
    expect(r.out).toContain('--priority <low|high>  How urgent (required; one of: low, high)')
    expect(r.out).toContain('--tags <string>...')
  })

  it('runCli() prints the help of a group with its commands', async () => {
    const r = await run(['items', '--help'])
    expect(r.out).toContain('Usage: fixture items <command> [flags]')
    expect(r.out).toMatch(/ {2}list +List items, filtered by tag/)
    expect(r.out).not.toContain('greet')
  })

  it('runCli() exits 64 with a usage line for a group without a command', async () => {
    const r = await run(['items'])
    expect(r.code).toBe(64)
    expect(r.err).toContain('Missing command after "fixture items"')
  })

  it('runCli() prints the root help with no arguments, and the version with --version', async () => {
    expect((await run([])).out).toContain('Usage: fixture <command> [flags]')
    expect(await run(['--version'])).toEqual({ code: 0, out: '1.2.3\n', err: '' })
  })

  it('runCli() wraps help to the terminal width', async () => {
    const r = await run(['--help'], { columns: 50 })
    for (const line of r.out.split('\n')) expect(line.length).toBeLessThanOrEqual(50)
  })

  it('runCli() prints completion scripts and refuses unknown shells', async () => {
    for (const shell of ['bash', 'zsh', 'fish', 'powershell']) {
      const r = await run(['completion', shell])
      expect(r.code).toBe(0)
      expect(r.out).toContain('__complete --')
    }
    const bad = await run(['completion', 'tcsh'])
    expect(bad.code).toBe(64)
    expect(bad.err).toContain('Unknown shell "tcsh"')
  })

  it.each([
    ['commands at the root', ['gr'], 'greet\n'],
    ['commands of a group', ['items', ''], 'list\nadd\nremove\n'],
    ['flags of a command', ['items', 'list', '--s'], '--sort\n'],
    ['enum values of a flag', ['items', 'add', '--priority', ''], 'low\nhigh\n'],
    ['nothing for a free-text value', ['greet', '--name', ''], ''],
  ])('runCli() completes %s', async (_name, words, expected) => {
    expect((await run(['__complete', '--', ...words])).out).toBe(expected)
  })
})

describe('runCli() with a positional and a field named like a global flag', () => {
  it('runCli() names a positional that fails its type as an argument, and a flag as a flag', async () => {
    const positional = await run(['publish', 'x', '--version', '1'], { target: versioned })
    expect(positional.code).toBe(65)
    expect(positional.err).toContain('Cannot parse argument <id>: expected an integer, got "x"')
    const flag = await run(['publish', '--id', 'x', '--version', '1'], { target: versioned })
    expect(flag.err).toContain('Cannot parse flag "--id": expected an integer, got "x"')
  })

  it("runCli() gives the command's own --version to the command and leaves it out of the global flags", async () => {
    const r = await run(['--json', 'publish', '3', '--version', '4'], { target: versioned })
    expect(r.out).toBe('{"id":3,"version":4}\n')
    const help = (await run(['publish', '--help'], { target: versioned })).out
    expect(help).toMatch(/--version <integer>/)
    expect(help).not.toContain('Show the version')
    expect((await run(['--help'], { target: versioned })).out).toContain('Show the version')
  })
})

describe('runCli() while manifold build trains the code cache', () => {
  it('rehearses a command on a throwaway app, never on the app itself, and prints only its own output', async () => {
    let calls = 0
    const counted = app({
      name: 'counted',
      version: '1.0.0',
      operations: [
        op({
          name: 'touch',
          input: z.object({ name: z.string() }),
          handler: () => {
            calls++
            return 'touched'
          },
        }),
      ],
    })
    const training = Symbol.for('manifold.cli.training')
    const global = globalThis as Record<symbol, unknown>
    let rehearsal = ''
    global[training] = (text: string) => {
      rehearsal += text
    }
    try {
      const help = await run(['--help'], { target: counted as never })
      expect([help.code, help.err]).toEqual([0, ''])
      expect(help.out).toContain('Usage: counted')
      expect(help.out).not.toContain('rehearsed')
      // The throwaway command ran to its text output; the app's own operation did not run.
      expect(rehearsal).toBe('rehearsed\n')
      expect(calls).toBe(0)
    } finally {
      delete global[training]
    }
    // The app itself still runs as ever afterwards.
    const touched = await run(['touch', '--name', 'x'], { target: counted as never })
    expect([touched.code, touched.out, calls]).toEqual([0, 'touched\n', 1])
  })
})
