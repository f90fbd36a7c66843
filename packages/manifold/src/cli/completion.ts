/**
 * Shell completion. Each script asks the program itself (`<app> __complete -- <words>`) for
 * the candidates of the word under the cursor, so commands, flags and enum values are always
 * those of the installed version. Loaded only for `completion` and `__complete`.
 *
 * @module
 */
import { UsageError } from '../errors.ts'
import type { CommandNode } from './commands.ts'
import type { FlagSpec } from './flags.ts'
import { builtins, globalFlags } from './parse-argv.ts'

/** Shells with a completion script. */
export const shells = ['bash', 'zsh', 'fish', 'powershell'] as const

const fnName = (name: string) => `_${name.replace(/[^A-Za-z0-9_]/g, '_')}_complete`

const scripts: Record<(typeof shells)[number], (name: string) => string> = {
  bash: (name) => `# bash completion for ${name}; load with: source <(${name} completion bash)
${fnName(name)}() {
  local IFS=$'\\n'
  COMPREPLY=($(${name} __complete -- "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null))
}
complete -o default -F ${fnName(name)} ${name}
`,
  zsh: (name) => `#compdef ${name}
# zsh completion for ${name}; load with: source <(${name} completion zsh)
${fnName(name)}() {
  local -a candidates
  candidates=(\${(f)"$(${name} __complete -- "\${(@)words[2,CURRENT]}" 2>/dev/null)"})
  compadd -a candidates
}
compdef ${fnName(name)} ${name}
`,
  fish: (name) => `# fish completion for ${name}; load with: ${name} completion fish | source
function ${fnName(name)}
    set -l tokens (commandline -opc) (commandline -ct)
    ${name} __complete -- $tokens[2..-1] 2>/dev/null
end
complete -c ${name} -f -a '(${fnName(name)})'
`,
  powershell: (
    name,
  ) => `# PowerShell completion for ${name}; load with: ${name} completion powershell | Out-String | Invoke-Expression
Register-ArgumentCompleter -Native -CommandName '${name}' -ScriptBlock {
  param($wordToComplete, $commandAst, $cursorPosition)
  $words = @($commandAst.CommandElements | Select-Object -Skip 1 | ForEach-Object { $_.ToString() })
  if ($wordToComplete -eq '') { $words += '""' }
  & '${name}' __complete -- @words 2>$null | ForEach-Object {
    [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_)
  }
}
`,
}

/** The completion script of a shell. */
export function completionScript(shell: string | undefined, name: string): string {
  const make = scripts[shell as (typeof shells)[number]]
  if (make === undefined) {
    throw new UsageError(
      shell === undefined ? 'Missing the shell to complete for' : `Unknown shell "${shell}"`,
      { hint: `Use one of ${shells.join(', ')}, e.g. source <(${name} completion bash)` },
    )
  }
  return make(name)
}

/**
 * Candidates for the last word of `words` (the words after the program name; the last one is
 * the word under the cursor, possibly empty), one per line.
 */
export function complete(
  root: CommandNode,
  words: readonly string[],
  flagsOf: (node: CommandNode) => FlagSpec[],
): string {
  const current = (words.at(-1) ?? '').replace(/^""$/, '')
  const before = words.slice(0, -1)
  let node = root
  for (const word of before) {
    const child = word.startsWith('-') ? undefined : node.children.get(word)
    if (child !== undefined && node.op === undefined) node = child
  }
  const flags = node.op === undefined ? [] : flagsOf(node)
  const previous = before.at(-1)
  let candidates: string[] = []
  const prevFlag = previous?.startsWith('--') ? flags.find((f) => `--${f.name}` === previous) : undefined
  if (prevFlag !== undefined && (prevFlag.type !== 'boolean' || prevFlag.array)) {
    candidates = (prevFlag.choices ?? []).map(String)
  } else if (previous === '--format') {
    candidates = ['json', 'ndjson', 'yaml', 'table']
  } else if (current.startsWith('-')) {
    candidates = [...flags.map((f) => `--${f.name}`), ...Object.keys(globalFlags).map((g) => `--${g}`)]
  } else if (node.op === undefined) {
    candidates = [...node.children.keys()]
    if (node === root) candidates.push(...builtins.filter((b) => !b.startsWith('_')))
  } else {
    const slot = flags.find((f) => f.position === before.length - node.words.length && f.choices)
    candidates = (slot?.choices ?? []).map(String)
  }
  const matches = candidates.filter((c) => c.startsWith(current))
  return matches.length === 0 ? '' : `${matches.join('\n')}\n`
}
