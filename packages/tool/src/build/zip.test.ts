import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createZip, readZip } from './zip.ts'

const dir = mkdtempSync(join(tmpdir(), 'manifold-zip-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const text = (s: string) => new TextEncoder().encode(s)
const files = [
  { path: 'node_modules/a/index.js', data: text('module.exports = 1\n'.repeat(50)) },
  { path: 'index.mjs', data: text('export const handler = async () => "ok"\n') },
  { path: 'bin/tool', data: text('#!/bin/sh\necho hi\n'), mode: 0o755 },
]

describe('createZip', () => {
  it('createZip writes the same bytes for the same files in any order', () => {
    const a = createZip(files)
    const b = createZip([...files].reverse())
    expect(Buffer.compare(a, b)).toBe(0)
  })

  it('createZip sorts entries, fixes timestamps to 1980 and keeps modes, as unzip reads them', () => {
    const file = join(dir, 'a.zip')
    writeFileSync(file, createZip(files))
    const listing = execFileSync('unzip', ['-Z', '-T', file], { encoding: 'utf8' })
    const rows = listing.split('\n').filter((l) => /^[-l]r/.test(l))
    expect(rows.map((r) => r.split(/\s+/).at(-1))).toEqual([
      'bin/tool',
      'index.mjs',
      'node_modules/a/index.js',
    ])
    expect(rows.every((r) => r.includes('19800101.000000'))).toBe(true)
    expect(rows[0]?.startsWith('-rwxr-xr-x')).toBe(true)
    expect(rows[1]?.startsWith('-rw-r--r--')).toBe(true)
    execFileSync('unzip', ['-tq', file])
    expect(execFileSync('unzip', ['-p', file, 'node_modules/a/index.js'], { encoding: 'utf8' })).toBe(
      'module.exports = 1\n'.repeat(50),
    )
  })

  it('readZip lists what createZip wrote, deflating only what shrinks', () => {
    const listing = readZip(createZip(files))
    expect(listing.map((e) => [e.path, e.size, e.mode])).toEqual([
      ['bin/tool', 18, 0o755],
      ['index.mjs', 40, 0o644],
      ['node_modules/a/index.js', 950, 0o644],
    ])
    expect(listing.find((e) => e.path === 'node_modules/a/index.js')?.method).toBe(8)
  })

  it.each([
    ['a duplicate path', [files[1], files[1]], /Duplicate zip entry "index.mjs"/],
    [
      'an absolute path',
      [{ path: '/etc/passwd', data: text('x') }],
      /Invalid zip entry path "\/etc\/passwd"/,
    ],
    ['a parent segment', [{ path: 'a/../../x', data: text('x') }], /Invalid zip entry path/],
  ] as const)('createZip rejects %s', (_, entries, message) => {
    expect(() => createZip(entries as never)).toThrow(message)
  })
})
