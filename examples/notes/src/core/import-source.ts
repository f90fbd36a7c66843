/**
 * Reads what `import` takes into a list of raw items: a JSON array in the input, NDJSON text,
 * or a path to a `.json`/`.ndjson` file or a folder of Markdown files.
 *
 * @module
 */
import { readdir, readFile, stat } from 'node:fs/promises'
import { basename, extname, join } from 'node:path'
import { InvalidInput, PermissionDenied, type Surface } from 'manifold'

/** One item to import, before validation. `error` is set when it could not even be read. */
export interface RawItem {
  readonly source: string
  readonly value?: unknown
  readonly error?: string
}

/** What `import` takes: exactly one of these. */
export interface ImportInput {
  readonly notes?: readonly unknown[] | undefined
  readonly ndjson?: string | undefined
  readonly path?: string | undefined
}

function parseNdjson(text: string, label: string): RawItem[] {
  const items: RawItem[] = []
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim()
    if (line === '') continue
    const source = `${label}line ${i + 1}`
    try {
      items.push({ source, value: JSON.parse(line) })
    } catch {
      items.push({ source, error: 'Cannot parse the line as JSON' })
    }
  }
  return items
}

/** A Markdown note: optional front matter with `tags: a, b` (or `[a, b]`), then the text. */
export function parseMarkdown(content: string): { text: string; tags: string[] } {
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/.exec(content)
  if (match === null) return { text: content.trim(), tags: [] }
  const tagLine = /^tags:\s*\[?([^\]\n]*)\]?\s*$/m.exec(match[1]!)
  const tags = (tagLine?.[1] ?? '')
    .split(',')
    .map((t) => t.trim().replace(/^["']|["']$/g, ''))
    .filter((t) => t !== '')
  return { text: content.slice(match[0].length).trim(), tags }
}

async function readPath(path: string): Promise<RawItem[]> {
  const info = await stat(path).catch(() => undefined)
  if (info === undefined) throw new InvalidInput(`Cannot import "${path}": no such file or folder`)
  if (info.isDirectory()) {
    const names = (await readdir(path)).filter((n) => extname(n).toLowerCase() === '.md').sort()
    return Promise.all(
      names.map(async (name) => ({
        source: name,
        value: parseMarkdown(await readFile(join(path, name), 'utf8')),
      })),
    )
  }
  const ext = extname(path).toLowerCase()
  const text = await readFile(path, 'utf8')
  if (ext === '.ndjson' || ext === '.jsonl') return parseNdjson(text, `${basename(path)} `)
  if (ext === '.json') {
    let parsed: unknown
    try {
      parsed = JSON.parse(text)
    } catch {
      throw new InvalidInput(`Cannot import "${path}": the file is not valid JSON`)
    }
    if (!Array.isArray(parsed))
      throw new InvalidInput(`Cannot import "${path}": expected a JSON array of notes`)
    return parsed.map((value, i) => ({ source: `${basename(path)}[${i}]`, value }))
  }
  throw new InvalidInput(
    `Cannot import "${path}": expected a .json, .ndjson or .jsonl file or a folder of .md files`,
  )
}

/**
 * The items of an import. A path is read on the machine that runs the operation, so only the
 * local surfaces (the CLI and in-process calls) may name one.
 */
export async function readImport(input: ImportInput, surface: Surface): Promise<RawItem[]> {
  const given = [input.notes, input.ndjson, input.path].filter((v) => v !== undefined).length
  if (given !== 1) {
    throw new InvalidInput('Give exactly one of "notes", "ndjson" or "path"', {
      errors: [{ path: '', message: 'Give exactly one of "notes", "ndjson" or "path"' }],
    })
  }
  if (input.notes !== undefined) return input.notes.map((value, i) => ({ source: `notes[${i}]`, value }))
  if (input.ndjson !== undefined) return parseNdjson(input.ndjson, '')
  if (surface !== 'cli' && surface !== 'direct') {
    throw new PermissionDenied(`Cannot read "${input.path}" on the server`, {
      hint: 'Send the notes as "notes" (a JSON array) or "ndjson" (text) instead',
    })
  }
  return readPath(input.path!)
}
