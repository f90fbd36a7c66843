/**
 * A small YAML 1.2 emitter for `--format yaml` (JSON-compatible values only). Loaded only
 * when that format is asked for.
 *
 * @module
 */

function scalar(value: unknown): string {
  if (value === null || value === undefined) return 'null'
  if (typeof value === 'string') {
    // Quote anything a YAML reader could take for another type or for syntax.
    const plain =
      /^[^\s\-?:,[\]{}#&*!|>'"%@`]/.test(value) &&
      !/^[-+.]?\d/.test(value) &&
      !/[\n\t]|: | #|\s$/.test(value) &&
      !/^(true|false|yes|no|on|off|null|~|y|n|\.inf|\.nan)$/i.test(value)
    return plain ? value : JSON.stringify(value)
  }
  return String(value)
}

function emit(value: unknown, indent: string): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]\n'
    return value
      .map((item) => {
        const body = emit(item, `${indent}  `)
        return typeof item === 'object' && item !== null && Object.keys(item).length > 0
          ? `${indent}- ${body.slice(indent.length + 2)}`
          : `${indent}- ${body}`
      })
      .join('')
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined)
    if (entries.length === 0) return '{}\n'
    return entries
      .map(([key, v]) => {
        const k = scalar(key)
        if (typeof v === 'object' && v !== null && Object.keys(v).length > 0) {
          return `${indent}${k}:\n${emit(v, `${indent}  `)}`
        }
        return `${indent}${k}: ${emit(v, '')}`
      })
      .join('')
  }
  return `${scalar(value)}\n`
}

/** A JSON-compatible value as a YAML document. */
export function toYaml(value: unknown): string {
  return emit(value, '')
}
