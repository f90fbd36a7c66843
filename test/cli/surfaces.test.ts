// One binary for people, shells, agents and remote APIs: completion scripts loaded in the real
// shells, `fixture mcp` under an MCP client, and `--remote` against the fixture served over HTTP.
import { execFileSync } from 'node:child_process'
import { Client } from '@modelcontextprotocol/client'
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio'
import { type ServeHandle, serve } from 'manifold/http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import fixture from './fixture/app.ts'
import { binDir, nodeArgs, root, runFixture, runProcess } from './helpers.ts'

const has = (shell: string) => {
  try {
    execFileSync('sh', ['-c', `command -v ${shell}`])
    return true
  } catch {
    return false
  }
}

describe('completion scripts in real shells', () => {
  const dir = binDir()
  const env = { PATH: `${dir}:${process.env.PATH}` }
  const cases = [
    ['commands of a group', ['items', ''], ['list', 'add', 'remove']],
    ['a command from a prefix', ['gr'], ['greet']],
    ['flags of a command', ['items', 'list', '--so'], ['--sort']],
    ['enum values of a flag', ['items', 'add', '--priority', ''], ['low', 'high']],
  ] as const

  it.each(cases)('bash completes %s', async (_name, words, expected) => {
    const list = ['fixture', ...words].map((w) => `"${w}"`).join(' ')
    const script = `source <(fixture completion bash); COMP_WORDS=(${list}); COMP_CWORD=${words.length}; _fixture_complete; printf '%s\\n' "\${COMPREPLY[@]}"`
    const r = await runProcess('bash', ['-c', script], { env })
    expect(r.stdout.trim().split('\n')).toEqual(expected)
  })

  // compsys needs a live terminal; `compadd` is stubbed to print what the script offers.
  it.runIf(has('zsh'))('zsh completes enum values of a flag', async () => {
    const script = `compdef() {}; compadd() { print -l -- "\${(@P)2}" }; source <(fixture completion zsh); words=(fixture items add --priority ''); CURRENT=5; _fixture_complete`
    const r = await runProcess('zsh', ['-c', script], { env })
    expect(r.stdout.trim().split('\n')).toEqual(['low', 'high'])
  })

  it.runIf(has('fish'))('fish completes a command line with complete -C', async () => {
    const r = await runProcess(
      'fish',
      ['-c', 'fixture completion fish | source; complete -C "fixture items l"'],
      { env },
    )
    expect(r.stdout.trim().split('\n')).toEqual(['list'])
  })
})

describe('fixture mcp', () => {
  it('serves the commands as MCP tools on stdio', async () => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [...nodeArgs, 'mcp'],
      cwd: root,
      env: { ...process.env, MANIFOLD_LOG: 'silent' } as Record<string, string>,
      stderr: 'pipe',
    })
    const client = new Client({ name: 'cli-test', version: '1.0.0' })
    await client.connect(transport)
    try {
      const { tools } = await client.listTools()
      expect(tools.map((t) => t.name)).toContain('items_list')
      const result = await client.callTool({ name: 'greet', arguments: { name: 'Ada' } })
      expect(result.structuredContent).toEqual({ message: 'Hello, Ada!' })
    } finally {
      await client.close()
    }
  })

  it('prints the client registration with mcp config', async () => {
    const r = await runFixture(['mcp', 'config'])
    expect(r.code).toBe(0)
    const entry = JSON.parse(r.stdout).mcpServers.fixture
    expect(entry.command).toBe(process.execPath)
    expect(entry.args.at(-1)).toBe('mcp')
  })
})

describe('fixture --remote', () => {
  let server: ServeHandle
  beforeAll(async () => {
    server = await serve(fixture, { port: 0, host: '127.0.0.1', print: false, signals: false })
  })
  afterAll(() => server.close())

  it('prints the same bytes remotely as locally', async () => {
    const args = ['items', 'list', '--limit', '2', '--filter.tag', 'red', '--json']
    const [local, remote] = await Promise.all([
      runFixture(args),
      runFixture([...args, '--remote', server.url]),
    ])
    expect(remote.stdout).toBe(local.stdout)
    expect(JSON.parse(remote.stdout).map((item: { id: string }) => item.id)).toEqual(['1', '3'])
    expect(remote.code).toBe(0)
  })

  it.each([
    ['not found', ['items', 'remove', '404', '--yes'], 66],
    ['invalid input', ['items', 'list', '--limit', '0'], 65],
    ['unauthenticated', ['whoami'], 77],
  ])('exits with the same code for %s', async (_name, args, code) => {
    const r = await runFixture(args, { env: { FIXTURE_REMOTE: server.url } })
    expect(r.code).toBe(code)
    expect(r.stdout).toBe('')
  })

  it('sends FIXTURE_TOKEN as a bearer token and streams NDJSON', async () => {
    const env = { FIXTURE_REMOTE: server.url, FIXTURE_TOKEN: 'secret' }
    const [who, stream] = await Promise.all([
      runFixture(['whoami', '--json'], { env }),
      runFixture(['count', '--to', '3', '--json'], { env }),
    ])
    expect(who.stdout).toBe('{"principal":{"user":"ada"}}\n')
    expect(stream.stdout).toBe('{"n":1}\n{"n":2}\n{"n":3}\n')
  })
})
