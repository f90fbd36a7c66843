/**
 * Flags of a command, derived from its input JSON Schema: one flag per scalar field, nested
 * objects flattened into dotted flags (`--filter.tag`), camelCase names as kebab-case.
 *
 * @module
 */
import type { JsonSchema } from '../schema.ts'

/** The value kind a flag parses its text into. */
export type FlagType = 'string' | 'number' | 'integer' | 'boolean' | 'json'

/** One flag of a command. */
export interface FlagSpec {
  /** Long name without dashes, kebab-case: `dry-run`, `filter.tag`. */
  readonly name: string
  /** Path of the field in the input object: `['filter', 'tag']`. */
  readonly path: readonly string[]
  readonly type: FlagType
  /** Repeated flag collecting an array. */
  readonly array: boolean
  readonly required: boolean
  readonly choices: readonly (string | number | boolean)[] | undefined
  readonly description: string | undefined
  readonly default: unknown
  /** One-letter alias, from `cli.aliases`. */
  readonly short: string | undefined
  /** Position when taken as a positional argument (`cli.positional`). */
  readonly position: number | undefined
}

/** `dryRun` -> `dry-run`. */
export function kebab(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase()
}

function typesOf(schema: JsonSchema): string[] {
  const t = schema.type
  if (typeof t === 'string') return [t]
  if (Array.isArray(t)) return t.filter((x): x is string => typeof x === 'string')
  // anyOf/oneOf of simple branches (nullable, unions of literals) still yield their types
  const branches = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined
  if (Array.isArray(branches)) return branches.flatMap(typesOf)
  if (Array.isArray(schema.enum)) return [...new Set(schema.enum.map((v) => typeof v))]
  if (schema.const !== undefined) return [typeof schema.const]
  return []
}

function choicesOf(schema: JsonSchema): (string | number | boolean)[] | undefined {
  if (Array.isArray(schema.enum)) return schema.enum as (string | number | boolean)[]
  const branches = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined
  if (!Array.isArray(branches)) return undefined
  const values: (string | number | boolean)[] = []
  for (const b of branches) {
    if (b.const !== undefined) values.push(b.const as string)
    else if (Array.isArray(b.enum)) values.push(...(b.enum as string[]))
    else if (b.type !== 'null') return undefined
  }
  return values.length > 0 ? values : undefined
}

function scalarType(types: readonly string[]): FlagType {
  const real = types.filter((t) => t !== 'null')
  if (real.length !== 1) return real.length === 0 ? 'string' : 'json'
  const t = real[0]
  if (t === 'string' || t === 'number' || t === 'integer' || t === 'boolean') return t
  return 'json'
}

/**
 * The flags of an input schema. Objects nest (up to a few levels); anything else that is
 * not a scalar or an array of scalars takes JSON text.
 */
export function flagsOf(
  schema: JsonSchema | undefined,
  positional: readonly string[] = [],
  aliases: Readonly<Record<string, string>> = {},
): FlagSpec[] {
  const out: FlagSpec[] = []
  const walk = (node: JsonSchema, path: string[], parentRequired: boolean, depth: number) => {
    const props = node.properties as Record<string, JsonSchema> | undefined
    if (props === undefined) return
    const required = new Set(Array.isArray(node.required) ? (node.required as string[]) : [])
    for (const [key, prop] of Object.entries(props)) {
      const here = [...path, key]
      const types = typesOf(prop)
      const isRequired = parentRequired && required.has(key) && prop.default === undefined
      if (types.includes('object') && prop.properties !== undefined && depth < 4) {
        walk(prop, here, isRequired, depth + 1)
        continue
      }
      const dotted = here.join('.')
      const isArray = types.includes('array')
      const element = isArray ? ((prop.items as JsonSchema | undefined) ?? {}) : prop
      const type = isArray ? scalarType(typesOf(element)) : scalarType(types)
      const choices = choicesOf(element)
      const index = positional.indexOf(dotted)
      out.push({
        name: here.map(kebab).join('.'),
        path: here,
        type: choices !== undefined && type === 'json' ? 'string' : type,
        array: isArray,
        required: isRequired,
        choices,
        description: typeof prop.description === 'string' ? prop.description : undefined,
        default: prop.default,
        short: aliases[dotted] ?? aliases[here.map(kebab).join('.')],
        position: index === -1 ? undefined : index,
      })
    }
  }
  if (schema !== undefined) walk(schema, [], true, 0)
  return out
}

/** How a flag is written in usage lines: `--limit <integer>`, `--[no-]dry-run`. */
export function flagUsage(flag: FlagSpec): string {
  if (flag.type === 'boolean' && !flag.array) return `--${flag.required ? '' : '[no-]'}${flag.name}`
  const value =
    flag.choices !== undefined ? flag.choices.join('|') : flag.type === 'json' ? 'json' : flag.type
  return `--${flag.name} <${value}>${flag.array ? '...' : ''}`
}
