/**
 * Writing results: `--json` is exactly `toJson(value)` (the HTTP body bytes), streams are one
 * line per item as it arrives, everything else renders for people. Human and YAML renderers
 * load only when used.
 *
 * @module
 */
import { toJson } from '../serialize.ts'
import type { Paint } from './color.ts'
import type { Format } from './parse-argv.ts'

/** How results are written. */
export interface OutputMode {
  /** `human` unless `--json` or `--format` says otherwise. */
  readonly format: Format | 'human'
  readonly columns: number
  readonly paint: Paint
  readonly write: (text: string) => void
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value
}

async function render(value: unknown, mode: OutputMode, item: boolean): Promise<string> {
  switch (mode.format) {
    case 'json':
      return toJson(value)
    case 'ndjson':
      if (!item && Array.isArray(value)) return value.map((v) => toJson(v)).join('')
      return toJson(value)
    case 'yaml': {
      const { toYaml } = await import('./yaml.ts')
      return item ? `---\n${toYaml(value)}` : toYaml(value)
    }
    case 'table': {
      const { renderHuman, renderTable } = await import('./human.ts')
      const rows = Array.isArray(value) ? value : [value]
      if (rows.every((r) => typeof r === 'object' && r !== null && !Array.isArray(r))) {
        return renderTable(rows as Record<string, unknown>[], mode.columns, mode.paint)
      }
      return renderHuman(value, mode.columns, mode.paint)
    }
    default: {
      // Text is printed as it is (what renderHuman does): no renderer to load for it.
      if (typeof value === 'string' && !item) return value.endsWith('\n') ? value : `${value}\n`
      const { renderHuman } = await import('./human.ts')
      const text = renderHuman(value, mode.columns, mode.paint)
      // Items of a stream that render as blocks are separated by a blank line.
      return item && text.split('\n').length > 2 ? `${text}\n` : text
    }
  }
}

/**
 * Writes a result: a value at once, an AsyncIterable item by item as it arrives (NDJSON lines
 * with `--json`). `stopped` ends a stream early (closed pipe).
 */
export async function writeResult(result: unknown, mode: OutputMode, stopped: () => boolean): Promise<void> {
  if (!isAsyncIterable(result) || Array.isArray(result)) {
    mode.write(await render(result, mode, false))
    return
  }
  const itemMode = mode.format === 'json' ? { ...mode, format: 'ndjson' as const } : mode
  for await (const item of result) {
    if (stopped()) break
    mode.write(await render(item, itemMode, true))
  }
}
