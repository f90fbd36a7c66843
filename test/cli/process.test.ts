// The fixture CLI as a real subprocess: exit codes, stdout/stderr separation, --json bytes,
// stdin, signals, closed pipes, and terminal behaviour under a real pseudo-terminal.
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { invoke, toJson } from 'manifold'
import { describe, expect, it } from 'vitest'
import fixture from './fixture/app.ts'
import { binDir, nodeArgs, root, runFixture, runInPty, runProcess } from './helpers.ts'

describe('the fixture CLI as a subprocess', () => {
  it.each([
    ['success', ['greet', 'Ada'], 0],
    ['usage', ['greet', 'Ada', '--bogus'], 64],
    ['invalid_input', ['greet'], 65],
    ['not_found', ['items', 'remove', '404', '--yes'], 66],
    ['unavailable', ['fail', '--kind', 'unavailable'], 69],
    ['internal', ['fail', '--kind', 'bug'], 70],
    ['unauthenticated', ['whoami'], 77],
  ])('exits with the code of %s, results on stdout only', async (kind, args, code) => {
    const r = await runFixture(args)
    expect(r.code).toBe(code)
    if (kind === 'success') {
      expect(r.stdout).toBe('message: Hello, Ada!\n')
      expect(r.stderr).toBe('')
    } else {
      expect(r.stdout).toBe('')
      expect(r.stderr).toMatch(/^Error: /)
      expect(r.stderr).not.toMatch(/\n\s+at /)
    }
  })

  it('prints the bytes of toJson() with --json and reads --input - from stdin', async () => {
    const r = await runFixture(['items', 'list', '--input', '-', '--json'], {
      input: '{"limit":2,"sort":"title"}',
    })
    expect(r.code).toBe(0)
    expect(r.stdout).toBe(toJson(await invoke(fixture, 'items.list', { limit: 2, sort: 'title' })))
  })

  it('writes the problem+json object as one line on stderr with --json', async () => {
    const r = await runFixture(['items', 'remove', '404', '--yes', '--json'])
    expect(r.code).toBe(66)
    expect(r.stdout).toBe('')
    expect(r.stderr).toBe(
      '{"type":"https://manifold.dev/errors#not_found","title":"Not found","status":404,"detail":"No item \\"404\\"","code":"not_found"}\n',
    )
  })

  it('aborts ctx.signal on Ctrl-C, lets the handler clean up and exits 130', async () => {
    let sent = false
    const r = await runFixture(['wait', '--cleanup-ms', '300'], {
      onStderr: (stderr, child) => {
        if (!sent && stderr.includes('waiting')) {
          sent = true
          child.kill('SIGINT')
        }
      },
    })
    expect(r.code).toBe(130)
    expect(r.stderr).toContain('cleaned up')
    expect(r.stderr).toContain('Error: Interrupted')
    expect(r.stdout).toBe('')
  })

  it('exits 130 at once on a second Ctrl-C, before the handler is done cleaning up', async () => {
    let sent = 0
    const r = await runFixture(['wait', '--cleanup-ms', '1500'], {
      onStderr: (stderr, child) => {
        if (sent === 0 && stderr.includes('waiting')) {
          sent = 2
          child.kill('SIGINT')
          setTimeout(() => child.kill('SIGINT'), 100)
        }
      },
    })
    expect(r.code).toBe(130)
    expect(r.stderr).not.toContain('cleaned up')
  })

  it('prints stream items as they arrive, before the stream ends', async () => {
    const child = spawn(
      process.execPath,
      [...nodeArgs, 'count', '--to', '3', '--delay-ms', '400', '--json'],
      {
        cwd: root,
      },
    )
    let first: { chunk: string; running: boolean } | undefined
    child.stdout.once('data', (chunk: Buffer) => {
      first = { chunk: chunk.toString(), running: child.exitCode === null }
    })
    const [code] = await once(child, 'close')
    expect(code).toBe(0)
    // Buffered output would come as one chunk at exit; a stream sends the first item alone.
    expect(first).toEqual({ chunk: '{"n":1}\n', running: true })
  })

  it('ends quietly when the reader of its output goes away (| head -1)', async () => {
    const dir = binDir()
    const r = await runProcess('bash', [
      '-o',
      'pipefail',
      '-c',
      `${dir}/fixture count --to 200000 --json | head -1`,
    ])
    expect(r.stdout).toBe('{"n":1}\n')
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
  })
})

describe('the fixture CLI writing to a pipe or a file (straight to fd 1)', () => {
  const lines = (n: number) => Array.from({ length: n }, (_, i) => `{"n":${i + 1}}\n`).join('')

  it('loses nothing when the reader is slow to drain the pipe', async () => {
    const child = spawn(process.execPath, [...nodeArgs, 'count', '--to', '30000', '--json'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    child.stdout.pause()
    // Far more than a pipe's buffer waits while nobody reads.
    await new Promise((resolve) => setTimeout(resolve, 500))
    let out = ''
    let err = ''
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c))
    child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c))
    child.stdout.resume()
    const [code] = await once(child, 'close')
    expect([code, err]).toEqual([0, ''])
    expect(out.length).toBe(lines(30000).length)
    expect(out === lines(30000)).toBe(true)
  })

  it('writes the same bytes to a file as to a pipe', async () => {
    const dir = binDir()
    const r = await runProcess('bash', [
      '-c',
      `${dir}/fixture count --to 500 --json > ${dir}/out.ndjson && cat ${dir}/out.ndjson`,
    ])
    expect([r.code, r.stderr]).toEqual([0, ''])
    expect(r.stdout === lines(500)).toBe(true)
  })
})

describe('the fixture CLI on a terminal', () => {
  it('draws a progress bar with rate and ETA on stderr, then the coloured result', async () => {
    const r = await runInPty(['work', '--steps', '4', '--delay-ms', '20'])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/\[.*█.*\] \d+% \d\/4 [\d.]+\/s ETA \d+s step \d/)
    expect(r.stdout).toContain('\x1b[2m')
    expect(r.stdout).toContain('steps:')
  })

  it.each([
    ['y', 0, 'removed:'],
    ['n', 130, 'Not confirmed; nothing was done'],
  ])('asks before a destructive command and answers %s', async (key, code, text) => {
    const r = await runInPty(['items', 'remove', '3'], `${key}\n`)
    expect(r.stdout).toContain('"fixture items remove" is destructive. Continue?')
    expect(r.code).toBe(code)
    expect(r.stdout).toContain(text)
  })

  it('skips the question with --yes', async () => {
    const r = await runInPty(['items', 'remove', '3', '--yes'])
    expect(r.code).toBe(0)
    expect(r.stdout).not.toContain('Continue?')
  })

  it('asks for missing required input with its description and choices', async () => {
    const r = await runInPty(['items', 'add', '--title', 'Milk'], 'urgent\nhigh\n')
    expect(r.stdout).toContain('--priority')
    expect(r.stdout).toContain('(How urgent; one of: low, high)')
    expect(r.stdout).toContain('Cannot parse flag "--priority": expected one of "low", "high", got "urgent"')
    expect(r.stdout).toMatch(/priority:.*high/)
    expect(r.code).toBe(0)
  })

  it('never asks with --no-input', async () => {
    const r = await runInPty(['greet', '--no-input'])
    expect(r.code).toBe(65)
    expect(r.stdout).toMatch(/<name>.*: missing, and required/)
    expect(r.stdout).not.toContain('(Who to greet)')
  })

  it('drops colour with NO_COLOR', async () => {
    const r = await runInPty(['items', 'list'], '', { NO_COLOR: '1' })
    expect(r.code).toBe(0)
    expect(r.stdout).not.toContain('\x1b[')
    expect(r.stdout).toContain('ID  TITLE')
  })
})
