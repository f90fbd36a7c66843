/**
 * Help text for the root, each group and each command: usage and examples first, then
 * commands or flags (types, defaults, choices, required), environment, exit codes. Wrapped to
 * the terminal width. Loaded only when help is shown.
 *
 * @module
 */
import type { AnyApp } from '../app.ts'
import { errorCodes } from '../errors.ts'
import { type JsonSchema, toJsonSchema } from '../schema.ts'
import type { Paint } from './color.ts'
import { type CommandNode, envPrefix, leaves } from './commands.ts'
import { type FlagSpec, flagUsage } from './flags.ts'
import { globalFlags } from './parse-argv.ts'

function wrap(text: string, width: number): string[] {
  const lines: string[] = []
  for (const paragraph of text.split('\n')) {
    let line = ''
    for (const word of paragraph.split(/\s+/)) {
      if (line !== '' && line.length + 1 + word.length > width) {
        lines.push(line)
        line = word
      } else line = line === '' ? word : `${line} ${word}`
    }
    lines.push(line)
  }
  return lines
}

/** Two columns: terms on the left, descriptions wrapped beside them (or below when narrow). */
function list(rows: readonly (readonly [string, string])[], columns: number, c: Paint): string {
  const left = Math.min(Math.max(...rows.map(([t]) => t.length)), Math.floor(columns / 2.5))
  const width = Math.max(20, columns - left - 4)
  return rows
    .map(([term, text]) => {
      const lines = wrap(text, width)
      if (term.length > left) {
        return [`  ${c.bold(term)}`, ...lines.map((l) => `${' '.repeat(left + 4)}${l}`)].join('\n')
      }
      const head = `  ${c.bold(term)}${' '.repeat(left - term.length + 2)}${lines[0] ?? ''}`
      return [head.trimEnd(), ...lines.slice(1).map((l) => `${' '.repeat(left + 4)}${l}`)].join('\n')
    })
    .join('\n')
}

function flagText(flag: FlagSpec): string {
  const parts: string[] = []
  if (flag.description !== undefined) parts.push(flag.description)
  const facts: string[] = []
  if (flag.required) facts.push('required')
  if (flag.choices !== undefined) facts.push(`one of: ${flag.choices.join(', ')}`)
  if (flag.array) facts.push('repeatable')
  if (flag.default !== undefined) facts.push(`default: ${JSON.stringify(flag.default)}`)
  if (facts.length > 0) parts.push(`(${facts.join('; ')})`)
  return parts.join(' ')
}

function flagTerm(flag: FlagSpec): string {
  const short = flag.short === undefined ? '    ' : `-${flag.short}, `
  return `${short}${flagUsage(flag)}`
}

/** The usage line of a command: `notes get <id> --json`. */
export function usageLine(appName: string, node: CommandNode, flags: readonly FlagSpec[]): string {
  const words = [appName, ...node.words]
  if (node.op === undefined) return `${words.join(' ')} <command> [flags]`
  const positionals = flags.filter((f) => f.position !== undefined).sort((a, b) => a.position! - b.position!)
  for (const p of positionals) {
    const name = `<${p.name}>${p.array ? '...' : ''}`
    words.push(p.required ? name : `[${name}]`)
  }
  for (const f of flags) if (f.required && f.position === undefined) words.push(flagUsage(f))
  if (flags.some((f) => !f.required)) words.push('[flags]')
  return words.join(' ')
}

function envRows(target: AnyApp): (readonly [string, string])[] {
  if (target.config === undefined) return []
  let schema: JsonSchema
  try {
    schema = toJsonSchema(target.config, 'input')
  } catch {
    return []
  }
  const props = (schema.properties ?? {}) as Record<string, JsonSchema>
  const required = new Set((schema.required ?? []) as string[])
  return Object.entries(props).map(([name, prop]) => {
    const facts: string[] = []
    if (required.has(name) && prop.default === undefined) facts.push('required')
    if (Array.isArray(prop.enum)) facts.push(`one of: ${prop.enum.join(', ')}`)
    if (prop.default !== undefined) facts.push(`default: ${JSON.stringify(prop.default)}`)
    const text = [
      typeof prop.description === 'string' ? prop.description : '',
      facts.length > 0 ? `(${facts.join('; ')})` : '',
    ]
    return [name, text.filter((t) => t !== '').join(' ')] as const
  })
}

function exitRows(): (readonly [string, string])[] {
  const byExit = new Map<number, string[]>([[0, ['success']]])
  for (const [code, info] of Object.entries(errorCodes)) {
    byExit.set(info.exitCode, [...(byExit.get(info.exitCode) ?? []), code])
  }
  return [...byExit.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([n, codes]) => [String(n), codes.join(', ')] as const)
}

/** Global flags, but those a command's own flag of the same name shadows (its flag wins). */
function globalRows(flags: readonly FlagSpec[]): (readonly [string, string])[] {
  const own = new Set(flags.map((f) => f.name))
  return Object.entries(globalFlags)
    .filter(([name]) => name !== 'color' && !own.has(name))
    .map(([name, g]) => [
      `${g.short === undefined ? '    ' : `-${g.short}, `}--${name}${g.value ? ` <${name === 'format' ? 'format' : name === 'remote' ? 'url' : 'json'}>` : ''}`,
      g.description,
    ])
}

/** Options of {@link renderHelp}. */
export interface RenderHelpOptions {
  readonly columns: number
  readonly paint: Paint
  readonly flags: readonly FlagSpec[]
  /** Program name; defaults to the app's. */
  readonly name?: string
}

/** Help of the root, a group or a command. */
export function renderHelp(target: AnyApp, node: CommandNode, options: RenderHelpOptions): string {
  const { columns, paint: c, flags } = options
  const name = options.name ?? target.name
  const width = Math.max(40, columns)
  const sections: string[] = []
  const heading = (title: string) => c.bold(c.cyan(title))
  const operation = node.op
  // Usage and examples lead (clig.dev); what the command is about follows.
  sections.push(`${heading('Usage:')} ${usageLine(name, node, flags)}`)
  const examples =
    operation !== undefined
      ? operation.cli !== false
        ? (operation.cli.examples ?? [])
        : []
      : leaves(node)
          .flatMap((l) => (l.op?.cli !== false ? (l.op?.cli.examples ?? []).slice(0, 1) : []))
          .slice(0, 3)
  if (examples.length > 0) {
    sections.push(
      `${heading('Examples:')}\n${examples.map((e) => `  ${c.dim('$')} ${name} ${e}`).join('\n')}`,
    )
  }
  if (node.words.length === 0) {
    sections.push(
      `${c.bold(name)} ${target.version}${target.description ? `\n${wrap(target.description, width).join('\n')}` : ''}`,
    )
  } else if (operation?.description !== undefined) {
    sections.push(wrap(operation.description, width).join('\n'))
  }
  if (operation === undefined) {
    const rows = leaves(node).map(
      (l) => [l.words.slice(node.words.length).join(' '), l.op?.description ?? ''] as const,
    )
    sections.push(`${heading('Commands:')}\n${list(rows, width, c)}`)
    if (node.words.length === 0) {
      const builtinRows = [
        ['help [command]', 'Show help of a command'],
        ['completion <shell>', 'Print a completion script: bash, zsh, fish or powershell'],
        ['mcp', 'Serve the commands as MCP tools on stdio ("mcp config" prints the client entry)'],
      ] as const
      sections.push(`${heading('Built-in commands:')}\n${list(builtinRows, width, c)}`)
    }
  } else {
    const facts: string[] = []
    if (operation.destructive)
      facts.push('Destructive: asks for confirmation on a terminal; pass --yes to skip it.')
    if (operation.stream) facts.push('Streams its results: one line per item as they arrive.')
    if (operation.auth) facts.push(`Needs credentials: set ${envPrefix(target.name)}_TOKEN.`)
    if (facts.length > 0) sections.push(facts.join('\n'))
    if (flags.length > 0)
      sections.push(
        `${heading('Flags:')}\n${list(
          flags.map((f) => [flagTerm(f), flagText(f)]),
          width,
          c,
        )}`,
      )
  }
  sections.push(`${heading('Global flags:')}\n${list(globalRows(flags), width, c)}`)
  const own = envRows(target)
  const builtin = [
    [`${envPrefix(target.name)}_REMOTE`, 'Run against the HTTP API at this URL (as --remote)'],
    [`${envPrefix(target.name)}_TOKEN`, 'Bearer token sent as credentials'],
    ['NO_COLOR', 'Turn colours off'],
  ] as const
  // The app's own description of a variable wins over the generic one.
  const env = [...own, ...builtin.filter(([name]) => !own.some(([n]) => n === name))]
  sections.push(`${heading('Environment:')}\n${list(env, width, c)}`)
  sections.push(`${heading('Exit codes:')}\n${list(exitRows(), width, c)}`)
  return `${sections.join('\n\n')}\n`
}
