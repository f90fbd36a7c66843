/**
 * argv -> (command, global options, flag values). Tokenizing follows `node:util` parseArgs
 * (non-strict, with positionals); meaning (schema types, `--no-x`, positionals, suggestions) is
 * ours.
 *
 * @module
 */
import { type FieldError, UsageError } from '../errors.ts'
import type { CommandNode } from './commands.ts'
import type { FlagSpec } from './flags.ts'
import { didYouMean } from './suggest.ts'

/** Output formats of `--format`. */
export const formats = ['json', 'ndjson', 'yaml', 'table'] as const
/** One of {@link formats}. */
export type Format = (typeof formats)[number]

/** Options every command takes. */
export interface GlobalOptions {
  help: boolean
  version: boolean
  json: boolean
  format: Format | undefined
  debug: boolean
  quiet: boolean
  color: boolean | undefined
  yes: boolean
  input: string | undefined
  noInput: boolean
  remote: string | undefined
}

interface GlobalSpec {
  readonly key: keyof GlobalOptions
  readonly value: boolean
  readonly short?: string
  readonly set?: unknown
  readonly description: string
}

/** The global flags, as help lists them. */
export const globalFlags: Readonly<Record<string, GlobalSpec>> = {
  help: { key: 'help', value: false, short: 'h', description: 'Show help' },
  json: { key: 'json', value: false, description: 'Print the result as JSON (the HTTP body bytes)' },
  format: { key: 'format', value: true, description: `Output format: ${formats.join(', ')}` },
  input: { key: 'input', value: true, description: "Whole input as JSON: '{…}', @file.json or - (stdin)" },
  yes: { key: 'yes', value: false, short: 'y', description: 'Skip the confirmation of destructive commands' },
  'no-input': { key: 'noInput', value: false, set: true, description: 'Never prompt for missing input' },
  quiet: { key: 'quiet', value: false, short: 'q', description: 'No progress output' },
  'no-color': { key: 'color', value: false, set: false, description: 'No colours (also NO_COLOR=1)' },
  color: { key: 'color', value: false, set: true, description: 'Force colours' },
  debug: { key: 'debug', value: false, description: 'Show stack traces of errors' },
  remote: { key: 'remote', value: true, description: 'Run against the HTTP API at this URL' },
  version: { key: 'version', value: false, description: 'Show the version' },
}

/** Where argv leads. */
export type Route =
  | { readonly kind: 'node'; readonly node: CommandNode; readonly rest: string[] }
  | { readonly kind: 'builtin'; readonly name: string; readonly rest: string[] }

/** Built-in commands at the root (an operation of the same name wins). */
export const builtins = ['help', 'completion', 'mcp', '__complete'] as const

/**
 * Finds the command the words of argv name; the rest of argv (flags, positionals) stays.
 * Global flags may come before the command words.
 */
export function route(argv: readonly string[], root: CommandNode): Route {
  let node = root
  const rest: string[] = []
  let i = 0
  for (; i < argv.length; i++) {
    const arg = argv[i] as string
    if (arg === '--') break
    if (arg.startsWith('-')) {
      rest.push(arg)
      const name = arg.replace(/^--?/, '')
      if (globalFlags[name]?.value === true && i + 1 < argv.length) rest.push(argv[++i] as string)
      continue
    }
    if (node.op !== undefined) break
    const child = node.children.get(arg)
    if (child !== undefined) {
      node = child
      continue
    }
    if (node === root && (builtins as readonly string[]).includes(arg)) {
      return { kind: 'builtin', name: arg, rest: [...rest, ...argv.slice(i + 1)] }
    }
    if (rest.includes('--help') || rest.includes('-h')) break
    const where = node.words.length === 0 ? '' : ` in "${node.words.join(' ')}"`
    const names = [...node.children.keys()]
    throw new UsageError(`Unknown command "${arg}"${where}${didYouMean(arg, names)}`, {
      hint: `Run with --help to see the commands${names.length > 0 ? `: ${names.join(', ')}` : ''}`,
    })
  }
  return { kind: 'node', node, rest: [...rest, ...argv.slice(i)] }
}

/** What parsing the rest of argv gave. */
export interface ParsedFlags {
  readonly globals: GlobalOptions
  /** Flag values, already coerced, in argv order (repeated flags collected). */
  readonly values: Map<FlagSpec, unknown>
  /** Values that failed their type. */
  readonly errors: FieldError[]
}

function coerce(flag: FlagSpec, text: string, errors: FieldError[], asArgument = false): unknown {
  const fail = (expected: string) => {
    errors.push({
      path: flag.path.join('.'),
      message: `Cannot parse ${asArgument ? `argument <${flag.name}>` : `flag "--${flag.name}"`}: expected ${expected}, got "${text}"`,
    })
    return undefined
  }
  let value: unknown = text
  switch (flag.type) {
    case 'integer':
      if (!/^[-+]?\d+$/.test(text.trim())) return fail('an integer')
      value = Number(text)
      break
    case 'number':
      if (text.trim() === '' || !Number.isFinite(Number(text))) return fail('a number')
      value = Number(text)
      break
    case 'boolean':
      if (!/^(true|false|1|0|yes|no)$/i.test(text)) return fail('true or false')
      value = /^(true|1|yes)$/i.test(text)
      break
    case 'json':
      try {
        value = JSON.parse(text)
      } catch {
        value = text
      }
      break
  }
  if (flag.choices !== undefined && !flag.choices.includes(value as string)) {
    const list = flag.choices.map((c) => `"${String(c)}"`).join(', ')
    return fail(`one of ${list}`)
  }
  return value
}

function unknownFlag(name: string, specs: readonly FlagSpec[]): never {
  const names = [...specs.map((s) => s.name), ...Object.keys(globalFlags)]
  const dashes = name.length === 1 ? '-' : '--'
  throw new UsageError(`Unknown flag "${dashes}${name}"${didYouMean(name, names, '--')}`, {
    hint: 'Run with --help to see the flags',
  })
}

type OptionType = 'string' | 'boolean'

type Token =
  | { readonly kind: 'positional'; readonly value: string }
  | {
      readonly kind: 'option'
      readonly name: string
      readonly rawName: string
      readonly value: string | undefined
    }

/**
 * Splits args into options and positionals as `node:util` parseArgs does with `strict: false`:
 * `--name=value`, `--name value` and `-n value` for string options (the next argument is the value
 * even when it starts with a dash), `-abc` groups of short flags, `-fVALUE`, `--` ends options.
 * Not parseArgs itself: loading it costs a command-line tool more at start than this loop.
 */
export function tokenize(
  args: readonly string[],
  types: ReadonlyMap<string, OptionType>,
  shorts: ReadonlyMap<string, string>,
): Token[] {
  const tokens: Token[] = []
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string
    if (arg === '--') {
      for (const rest of args.slice(i + 1)) tokens.push({ kind: 'positional', value: rest })
      break
    }
    if (arg.length < 2 || arg[0] !== '-') {
      tokens.push({ kind: 'positional', value: arg })
      continue
    }
    if (arg[1] === '-') {
      const eq = arg.indexOf('=')
      if (eq !== -1) {
        tokens.push({
          kind: 'option',
          name: arg.slice(2, eq),
          rawName: arg.slice(0, eq),
          value: arg.slice(eq + 1),
        })
        continue
      }
      const name = arg.slice(2)
      const value = types.get(name) === 'string' && i + 1 < args.length ? args[++i] : undefined
      tokens.push({ kind: 'option', name, rawName: arg, value })
      continue
    }
    for (let j = 1; j < arg.length; j++) {
      const name = shorts.get(arg[j] as string) ?? (arg[j] as string)
      const rawName = `-${arg[j]}`
      if (types.get(name) !== 'string') {
        tokens.push({ kind: 'option', name, rawName, value: undefined })
        continue
      }
      const value = j + 1 < arg.length ? arg.slice(j + 1) : i + 1 < args.length ? args[++i] : undefined
      tokens.push({ kind: 'option', name, rawName, value })
      break
    }
  }
  return tokens
}

/**
 * Parses flags and positionals of one command. Unknown flags, missing values and extra
 * arguments throw `usage`; values that fail their type are collected in `errors`.
 */
export function parseFlags(args: readonly string[], specs: readonly FlagSpec[]): ParsedFlags {
  const types = new Map<string, OptionType>()
  const shorts = new Map<string, string>()
  for (const name in globalFlags) {
    const g = globalFlags[name] as GlobalSpec
    types.set(name, g.value ? 'string' : 'boolean')
    if (g.short !== undefined) shorts.set(g.short, name)
  }
  const byName = new Map<string, FlagSpec>()
  for (const spec of specs) {
    byName.set(spec.name, spec)
    byName.set(spec.path.join('.'), spec)
    types.set(spec.name, spec.type === 'boolean' && !spec.array ? 'boolean' : 'string')
    if (spec.short !== undefined) shorts.set(spec.short, spec.name)
  }
  const tokens = tokenize(args, types, shorts)
  const globals: GlobalOptions = {
    help: false,
    version: false,
    json: false,
    format: undefined,
    debug: false,
    quiet: false,
    color: undefined,
    yes: false,
    input: undefined,
    noInput: false,
    remote: undefined,
  }
  const values = new Map<FlagSpec, unknown>()
  const errors: FieldError[] = []
  const set = (spec: FlagSpec, value: unknown) => {
    if (value === undefined) return
    if (spec.array) values.set(spec, [...((values.get(spec) as unknown[] | undefined) ?? []), value])
    else values.set(spec, value)
  }
  const positionals: string[] = []
  for (const token of tokens) {
    if (token.kind === 'positional') {
      positionals.push(token.value)
      continue
    }
    const { name, value, rawName } = token
    const spec = byName.get(name)
    const global = spec === undefined ? globalFlags[name] : undefined
    if (spec === undefined && global === undefined) {
      const negated = name.startsWith('no-') ? byName.get(name.slice(3)) : undefined
      if (negated?.type === 'boolean' && !negated.array && value === undefined) {
        set(negated, false)
        continue
      }
      if (globals.help) continue
      unknownFlag(name, specs)
    }
    const takesValue = spec !== undefined ? types.get(spec.name) === 'string' : global?.value === true
    if (takesValue && value === undefined) {
      if (globals.help) continue
      throw new UsageError(`Flag "${rawName}" needs a value`, { hint: `Write ${rawName} <value>` })
    }
    if (spec !== undefined) {
      set(spec, value === undefined ? true : coerce(spec, value, errors))
      continue
    }
    const g = global as GlobalSpec
    if (g.key === 'format') {
      if (!(formats as readonly string[]).includes(value as string)) {
        throw new UsageError(`Unknown format "${value}"${didYouMean(value as string, formats)}`, {
          hint: `Use one of ${formats.join(', ')}`,
        })
      }
      globals.format = value as Format
    } else if (g.value) {
      ;(globals as unknown as Record<string, unknown>)[g.key] = value
    } else {
      ;(globals as unknown as Record<string, unknown>)[g.key] = g.set ?? true
    }
  }
  const slots = specs.filter((s) => s.position !== undefined).sort((a, b) => a.position! - b.position!)
  for (let i = 0; i < positionals.length; i++) {
    const slot = slots[i] ?? (slots.at(-1)?.array ? slots.at(-1) : undefined)
    if (slot === undefined) {
      if (globals.help) break
      throw new UsageError(`Unexpected argument "${positionals[i]}"`, {
        hint: slots.length === 0 ? 'This command takes flags only' : `It takes ${slots.length} argument(s)`,
      })
    }
    set(slot, coerce(slot, positionals[i] as string, errors, true))
  }
  return { globals, values, errors }
}
