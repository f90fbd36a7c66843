/**
 * A small YAML writer for templates: block mappings and sequences, scalars quoted whenever plain
 * style could be read as something else. Enough for CloudFormation; not a general serializer.
 *
 * @module
 */

/** A value the writer accepts. */
export type YamlValue =
  | string
  | number
  | boolean
  | null
  | readonly YamlValue[]
  | { readonly [key: string]: YamlValue }

const plain = /^[A-Za-z_/][A-Za-z0-9_ ./:()\-*{}+]*$/
const reserved = /^(?:true|false|yes|no|on|off|null|~|y|n)$/i

function scalar(value: string | number | boolean | null): string {
  if (value === null) return 'null'
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  // Plain style only for strings that cannot be misread (no `: `, `#`, leading indicator, bool words).
  if (
    plain.test(value) &&
    !reserved.test(value) &&
    !value.includes(': ') &&
    !value.endsWith(' ') &&
    !value.endsWith(':')
  ) {
    return value
  }
  return JSON.stringify(value)
}

function isScalar(value: YamlValue): value is string | number | boolean | null {
  return value === null || typeof value !== 'object'
}

function isEmpty(value: YamlValue): boolean {
  return typeof value === 'object' && value !== null && Object.keys(value).length === 0
}

function lines(value: YamlValue, indent: string): string[] {
  if (Array.isArray(value)) {
    return value.flatMap((item: YamlValue) => {
      if (isScalar(item) || isEmpty(item))
        return [`${indent}- ${isScalar(item) ? scalar(item) : Array.isArray(item) ? '[]' : '{}'}`]
      const [first = '', ...rest] = lines(item, `${indent}  `)
      return [`${indent}- ${first.slice(indent.length + 2)}`, ...rest]
    })
  }
  const out: string[] = []
  for (const [key, item] of Object.entries(value as Record<string, YamlValue>)) {
    const k = scalar(key)
    if (isScalar(item)) out.push(`${indent}${k}: ${scalar(item)}`)
    else if (isEmpty(item)) out.push(`${indent}${k}: ${Array.isArray(item) ? '[]' : '{}'}`)
    else out.push(`${indent}${k}:`, ...lines(item, `${indent}  `))
  }
  return out
}

/**
 * Writes a value as a YAML document.
 *
 * @example
 * ```ts
 * toYaml({ Resources: { Queue: { Type: 'AWS::SQS::Queue' } } })
 * // 'Resources:\n  Queue:\n    Type: "AWS::SQS::Queue"\n'
 * ```
 */
export function toYaml(value: YamlValue): string {
  if (isScalar(value)) return `${scalar(value)}\n`
  return `${lines(value, '').join('\n')}\n`
}
