/**
 * The input object of a command: `--input` JSON first, then flags and positionals on top.
 * The result is the object an HTTP client would send as the body.
 *
 * @module
 */
import { UsageError } from '../errors.ts'
import type { FlagSpec } from './flags.ts'

/** Reads all of a stream as text. */
export async function readAll(stream: AsyncIterable<unknown>): Promise<string> {
  const chunks: string[] = []
  const decoder = new TextDecoder()
  for await (const chunk of stream) {
    chunks.push(typeof chunk === 'string' ? chunk : decoder.decode(chunk as Uint8Array, { stream: true }))
  }
  chunks.push(decoder.decode())
  return chunks.join('')
}

/** Parses the value of `--input`: JSON text, `@file.json` or `-` for stdin. */
export async function readInputFlag(value: string, stdin: AsyncIterable<unknown>): Promise<unknown> {
  let text = value
  let source = '--input'
  if (value === '-') {
    text = await readAll(stdin)
    source = 'stdin'
  } else if (value.startsWith('@')) {
    const file = value.slice(1)
    const { readFile } = await import('node:fs/promises')
    try {
      text = await readFile(file, 'utf8')
    } catch (error) {
      const reason = (error as { code?: string }).code === 'ENOENT' ? 'no such file' : String(error)
      throw new UsageError(`Cannot read input file "${file}": ${reason}`, {
        hint: 'Pass a path after "@", relative to the current directory',
      })
    }
    source = `"${file}"`
  }
  try {
    return JSON.parse(text)
  } catch (error) {
    throw new UsageError(`Cannot parse the input from ${source} as JSON: ${(error as Error).message}`, {
      hint: `Pass a JSON object, e.g. --input '{"name":"Ada"}'`,
    })
  }
}

/** Sets `value` at `path` in `target`, creating objects on the way. */
export function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target
  for (const key of path.slice(0, -1)) {
    const next = node[key]
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[key] = {}
    node = node[key] as Record<string, unknown>
  }
  node[path.at(-1) as string] = value
}

/** Whether `target` has a value at `path`. */
export function hasPath(target: unknown, path: readonly string[]): boolean {
  let node = target
  for (const key of path) {
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, key)) return false
    node = (node as Record<string, unknown>)[key]
  }
  return node !== undefined
}

/** The input object: the `--input` base (an object, or nothing) with flag values on top. */
export function buildInput(base: unknown, values: ReadonlyMap<FlagSpec, unknown>): unknown {
  if (values.size === 0) return base
  if (base !== undefined && (typeof base !== 'object' || base === null || Array.isArray(base))) {
    throw new UsageError('Cannot combine flags with an --input that is not a JSON object', {
      hint: 'Pass the whole input as a JSON object, or only flags',
    })
  }
  const input: Record<string, unknown> = structuredClone((base ?? {}) as Record<string, unknown>)
  for (const [flag, value] of values) setPath(input, flag.path, value)
  return input
}
