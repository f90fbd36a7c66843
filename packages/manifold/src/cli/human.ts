/**
 * Rendering for people: objects as aligned `key: value`, arrays of objects as tables sized to
 * the terminal, scalars as text. Loaded only when a result is rendered this way.
 *
 * @module
 */
import { type Paint, visibleWidth } from './color.ts'

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function cell(value: unknown): string {
  if (value === undefined || value === null) return ''
  if (typeof value === 'string') return value.replace(/\s*\n\s*/g, ' ')
  if (Array.isArray(value) && value.every((v) => v === null || typeof v !== 'object')) return value.join(', ')
  if (typeof value === 'object') return JSON.stringify(value)
  return String(value)
}

function truncate(text: string, width: number): string {
  const chars = [...text]
  if (chars.length <= width) return text
  return width <= 1 ? chars.slice(0, width).join('') : `${chars.slice(0, width - 1).join('')}…`
}

/** A table of rows, each column as wide as its content, shrunk to fit `columns`. */
export function renderTable(rows: readonly Record<string, unknown>[], columns: number, c: Paint): string {
  const keys: string[] = []
  for (const row of rows) for (const key of Object.keys(row)) if (!keys.includes(key)) keys.push(key)
  const cells = rows.map((row) => keys.map((k) => cell(row[k])))
  const widths = keys.map((k, i) => Math.max(visibleWidth(k), ...cells.map((r) => visibleWidth(r[i] ?? ''))))
  const gap = 2
  const budget = Math.max(columns, keys.length * 4) - gap * (keys.length - 1)
  // Shrink the widest column until the table fits the terminal.
  while (widths.reduce((a, b) => a + b, 0) > budget) {
    const widest = widths.indexOf(Math.max(...widths))
    if ((widths[widest] ?? 0) <= 3) break
    widths[widest] = (widths[widest] ?? 0) - 1
  }
  const line = (values: readonly string[], style: (s: string) => string = (s) => s) =>
    values
      .map((v, i) => {
        const text = truncate(v, widths[i] ?? 0)
        return i === values.length - 1
          ? style(text)
          : style(text) + ' '.repeat((widths[i] ?? 0) - visibleWidth(text) + gap)
      })
      .join('')
      .trimEnd()
  const header = line(
    keys.map((k) => k.toUpperCase()),
    c.bold,
  )
  return `${[header, ...cells.map((r) => line(r))].join('\n')}\n`
}

function renderObject(value: Record<string, unknown>, indent: string, columns: number, c: Paint): string {
  const keys = Object.keys(value).filter((k) => value[k] !== undefined)
  const width = Math.max(0, ...keys.map((k) => k.length))
  let out = ''
  for (const key of keys) {
    const v = value[key]
    const label = `${indent}${c.dim(`${key}:`)}`
    if (isPlainObject(v) && Object.keys(v).length > 0) {
      out += `${label}\n${renderObject(v, `${indent}  `, columns, c)}`
    } else if (Array.isArray(v) && v.length > 0 && v.every(isPlainObject)) {
      out += `${label}\n${renderTable(v, columns - indent.length - 2, c)
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => `${indent}  ${l}\n`)
        .join('')}`
    } else {
      const text = Array.isArray(v) ? v.map(cell).join(', ') : cell(v)
      out += `${label}${' '.repeat(width - key.length + 1)}${text}\n`
    }
  }
  return out
}

/** A result rendered for people. `undefined` renders as nothing. */
export function renderHuman(value: unknown, columns: number, c: Paint): string {
  if (value === undefined) return ''
  if (typeof value === 'string') return value.endsWith('\n') ? value : `${value}\n`
  if (Array.isArray(value)) {
    if (value.length === 0) return ''
    if (value.every(isPlainObject)) return renderTable(value, columns, c)
    return value.map((v) => `${cell(v)}\n`).join('')
  }
  if (isPlainObject(value)) return renderObject(value, '', columns, c)
  return `${cell(value)}\n`
}
