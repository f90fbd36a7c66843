import { app } from 'manifold'
import { mcpConfig } from 'manifold/mcp'
import { describe, expect, it } from 'vitest'

const notes = app({ name: 'notes', version: '1.0.0', operations: [] })

describe('mcpConfig()', () => {
  it.each([
    {
      description: 'the CLI with its mcp command',
      options: { command: '/usr/local/bin/notes', args: ['mcp'] },
      entry: { command: '/usr/local/bin/notes', args: ['mcp'] },
    },
    {
      description: 'a bundle run by node',
      options: { command: 'node', args: ['/srv/mcp.mjs'] },
      entry: { command: 'node', args: ['/srv/mcp.mjs'] },
    },
    {
      description: 'no arguments',
      options: { command: 'notes-mcp' },
      entry: { command: 'notes-mcp', args: [] },
    },
    {
      description: 'environment variables',
      options: { command: 'notes', args: ['mcp'], env: { NOTES_DB: '/data/notes.db' } },
      entry: { command: 'notes', args: ['mcp'], env: { NOTES_DB: '/data/notes.db' } },
    },
  ])('returns the mcpServers entry for $description', ({ options, entry }) => {
    expect(mcpConfig(notes, options)).toEqual({ mcpServers: { notes: entry } })
  })

  it('rejects an empty command', () => {
    expect(() => mcpConfig(notes, { command: '' })).toThrow(
      'mcpConfig() needs a command: the program an MCP client runs to start the server',
    )
  })
})
