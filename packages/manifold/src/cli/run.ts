/**
 * `runCli(app)`: argv -> command -> `invoke` -> stdout, errors -> stderr and an exit code
 * from the core's table. Help, completion, prompts, YAML, MCP and the remote client load
 * only when used, so a plain call starts fast.
 *
 * @module
 */
import { type AnyApp, app } from '../app.ts'
import {
  Cancelled,
  errorCodes,
  type FieldError,
  type ManifoldError,
  toManifoldError,
  UsageError,
} from '../errors.ts'
import { invoke } from '../invoke.ts'
import { createLogger } from '../log.ts'
import { op } from '../op.ts'
import { toProblem } from '../problem.ts'
import { startApp, stopApp } from '../runtime.ts'
import {
  invalidInput,
  type StandardJSONSchemaV1,
  type StandardSchemaV1,
  toJsonSchema,
  validate,
} from '../schema.ts'
import { toJson } from '../serialize.ts'
import { type Paint, paint, useColor } from './color.ts'
import { type CommandNode, commandTree, envPrefix } from './commands.ts'
import { type FlagSpec, flagsOf } from './flags.ts'
import { buildInput, hasPath, readInputFlag, setPath } from './input.ts'
import { type OutputMode, writeResult } from './output.ts'
import { type GlobalOptions, parseFlags, route } from './parse-argv.ts'
import { barSink, lineSink, type ProgressSink } from './progress.ts'
import type { Prompter } from './prompt.ts'

/**
 * A stream the CLI writes to: `process.stdout`, or a test double.
 *
 * @example
 * ```ts
 * import type { CliWriter } from 'manifold/cli'
 * let text = ''
 * const capture: CliWriter = { write: (s: string) => (text += s), isTTY: false, columns: 80 }
 * ```
 */
export interface CliWriter {
  write(chunk: string): unknown
  readonly isTTY?: boolean | undefined
  readonly columns?: number | undefined
  on?(event: 'error', listener: (error: Error) => void): unknown
}

/**
 * The stream the CLI reads `--input -` and answers from: `process.stdin`, or any async iterable.
 *
 * @example
 * ```ts
 * import { Readable } from 'node:stream'
 * import type { CliReader } from 'manifold/cli'
 * const stdin: CliReader = Readable.from(['{"name":"Ada"}'])
 * ```
 */
export type CliReader = AsyncIterable<unknown> & { readonly isTTY?: boolean | undefined }

/**
 * Options of {@link runCli}; each defaults to the process.
 *
 * @example
 * ```ts
 * import { type RunCliOptions, runCli } from 'manifold/cli'
 * import app from './app.ts'
 * let out = ''
 * const options: RunCliOptions = {
 *   argv: ['greet', 'Ada', '--json'],
 *   stdout: { write: (s: string) => (out += s) },
 *   exit: () => {},
 * }
 * const code = await runCli(app, options) // 0, and out is '{"message":"Hello, Ada!"}\n'
 * ```
 */
export interface RunCliOptions {
  /** Arguments after the program name; defaults to `process.argv.slice(2)`. */
  readonly argv?: readonly string[]
  /** Environment; defaults to `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>
  readonly stdin?: CliReader
  readonly stdout?: CliWriter
  readonly stderr?: CliWriter
  /** Called once with the exit code; defaults to `process.exit`. */
  readonly exit?: (code: number) => void
  /** Treat stdin, stdout and stderr as terminals (or not), whatever the streams say. */
  readonly isTTY?: boolean
  /** Terminal width; defaults to the stream's, else `COLUMNS`, else 80. */
  readonly columns?: number
  /** Handle SIGINT (abort the call, exit 130); defaults to true when `exit` is not given. */
  readonly handleSignals?: boolean
  /** Program name in help and completion; defaults to the app's name. */
  readonly name?: string
}

interface Session {
  readonly target: AnyApp
  readonly name: string
  readonly env: Readonly<Record<string, string | undefined>>
  /** Read on demand: touching process.stdin opens a handle, which a plain call never needs. */
  readonly stdin: () => CliReader
  readonly stdout: CliWriter
  readonly stderr: CliWriter
  readonly tty: { stdin: boolean; stdout: boolean; stderr: boolean }
  readonly columns: number
  readonly controller: AbortController
  readonly state: { pipeClosed: boolean }
  globals: GlobalOptions | undefined
  input: unknown
  node: CommandNode | undefined
  flags: readonly FlagSpec[]
  prompter: Prompter | undefined
}

const nodeProcess = (): NodeJS.Process => globalThis.process

function outPaint(s: Session): Paint {
  return paint(useColor(s.tty.stdout, s.env, s.globals?.color))
}
function errPaint(s: Session): Paint {
  return paint(useColor(s.tty.stderr, s.env, s.globals?.color))
}

function inputSchemaOf(node: CommandNode): ReturnType<typeof toJsonSchema> | undefined {
  return node.op?.input === undefined ? undefined : toJsonSchema(node.op.input, 'input')
}

function flagsOfNode(node: CommandNode): FlagSpec[] {
  const cli = node.op?.cli
  if (node.op === undefined || cli === false || cli === undefined) return []
  return flagsOf(inputSchemaOf(node), cli.positional, cli.aliases)
}

async function showHelp(s: Session, node: CommandNode): Promise<number> {
  const { renderHelp } = await import('./help.ts')
  const flags = node === s.node ? s.flags : flagsOfNode(node)
  s.stdout.write(renderHelp(s.target, node, { columns: s.columns, paint: outPaint(s), flags, name: s.name }))
  return 0
}

async function prompter(s: Session): Promise<Prompter> {
  if (s.prompter === undefined) {
    const { createPrompter } = await import('./prompt.ts')
    s.prompter = await createPrompter({
      input: s.stdin() as unknown as NodeJS.ReadableStream,
      output: s.stderr as unknown as NodeJS.WritableStream,
      paint: errPaint(s),
      signal: s.controller.signal,
    })
  }
  return s.prompter
}

const missingFlags = (input: unknown, flags: readonly FlagSpec[]) =>
  flags.filter((f) => f.required && !hasPath(input, f.path))

/** Asks for required fields still missing, one by one, on a terminal. */
async function promptMissing(s: Session, input: unknown, flags: readonly FlagSpec[]): Promise<unknown> {
  const missing = missingFlags(input, flags)
  if (missing.length === 0) return input
  const ask = await prompter(s)
  const result = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>
  for (const flag of missing) {
    for (;;) {
      const text = await ask.askFlag(flag)
      const parsed = parseFlags([`--${flag.name}=${text}`], [flag])
      if (parsed.errors.length === 0) {
        setPath(result, flag.path, parsed.values.get(flag))
        break
      }
      s.stderr.write(`${errPaint(s).red(parsed.errors[0]?.message ?? 'Invalid value')}\n`)
    }
  }
  return result
}

async function confirmDestructive(s: Session, node: CommandNode): Promise<void> {
  const command = [s.name, ...node.words].join(' ')
  const interactive = s.tty.stderr && !s.globals?.noInput && s.tty.stdin
  if (!interactive) {
    throw new UsageError(`"${command}" is destructive and needs confirmation`, {
      hint: 'Pass --yes to confirm without a terminal',
    })
  }
  const ok = await (await prompter(s)).confirm(`"${command}" is destructive. Continue?`)
  if (!ok) throw new Cancelled('Not confirmed; nothing was done')
}

/**
 * A UUID-shaped id for the call. `crypto.randomUUID()` would initialise node:crypto, which
 * costs a CLI more start-up time than everything else it does; a log correlation id needs
 * uniqueness, not secrecy.
 */
function requestId(): string {
  const hex = (n: number) =>
    Array.from({ length: n }, () => Math.floor(Math.random() * 16).toString(16)).join('')
  return `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[Math.floor(Math.random() * 4)]}${hex(3)}-${hex(12)}`
}

/** Type errors of flags plus whatever else the schema rejects, so one run lists every field. */
async function coercionError(
  node: CommandNode,
  input: unknown,
  errors: readonly FieldError[],
): Promise<ManifoldError> {
  const all = [...errors]
  if (node.op?.input !== undefined) {
    const result = await validate(node.op.input, input ?? {})
    if (!result.ok) for (const e of result.errors) if (!all.some((x) => x.path === e.path)) all.push(e)
  }
  return invalidInput(all)
}

function progressSink(s: Session): ((
  done: number,
  total: number | undefined,
  msg: string | undefined,
) => void) & {
  finish(): void
} {
  let draw: ProgressSink | undefined
  let finish = () => {}
  const sink = (done: number, total: number | undefined, message: string | undefined) => {
    if (s.globals?.quiet) return
    if (draw === undefined) {
      const write = (text: string) => void s.stderr.write(text)
      if (s.tty.stderr) {
        const bar = barSink(write, s.columns, errPaint(s))
        draw = bar.report
        finish = bar.finish
      } else draw = lineSink(write)
    }
    draw(done, total, message)
  }
  return Object.assign(sink, { finish: () => finish() })
}

async function runCommand(s: Session, node: CommandNode, rest: readonly string[]): Promise<number> {
  const operation = node.op
  s.node = node
  s.flags = flagsOfNode(node)
  const parsed = parseFlags(rest, s.flags)
  s.globals = parsed.globals
  const g = parsed.globals
  if (g.help) return showHelp(s, node)
  if (g.version && node.words.length === 0) {
    s.stdout.write(`${s.target.version}\n`)
    return 0
  }
  if (operation === undefined) {
    if (node.words.length > 0 || rest.length > 0) {
      const { usageLine } = await import('./help.ts')
      throw new UsageError(`Missing command after "${[s.name, ...node.words].join(' ')}"`, {
        hint: `Usage: ${usageLine(s.name, node, [])}; run with --help to see the commands`,
      })
    }
    return showHelp(s, node)
  }
  const base = g.input === undefined ? undefined : await readInputFlag(g.input, s.stdin())
  let input = buildInput(base, parsed.values)
  s.input = input
  if (parsed.errors.length > 0) throw await coercionError(node, input, parsed.errors)
  if (operation.input !== undefined) {
    input ??= {}
    if (!g.noInput && missingFlags(input, s.flags).length > 0 && s.tty.stderr && s.tty.stdin)
      input = await promptMissing(s, input, s.flags)
  }
  s.input = input
  if (operation.destructive && !g.yes) await confirmDestructive(s, node)
  const prefix = envPrefix(s.target.name)
  const token = s.env[`${prefix}_TOKEN`]
  const remote = g.remote ?? s.env[`${prefix}_REMOTE`]
  const progress = progressSink(s)
  let result: unknown
  try {
    if (remote !== undefined && remote !== '') {
      const { callRemote } = await import('./remote.ts')
      result = await callRemote(s.target, remote, operation.name, input, {
        token,
        signal: s.controller.signal,
      })
    } else {
      await startApp(s.target, { env: s.env, log: cliLogger(s) })
      result = await invoke(s.target, operation.name, input as never, {
        surface: 'cli',
        requestId: requestId(),
        signal: s.controller.signal,
        onProgress: progress,
        ...(token ? { credentials: { token } } : {}),
      })
    }
  } finally {
    // Clear the bar before the result or the error is written below it.
    progress.finish()
  }
  const format: OutputMode['format'] = g.json ? 'json' : (g.format ?? 'human')
  const mode: OutputMode = {
    format,
    get columns() {
      return s.columns
    },
    paint: outPaint(s),
    write: (t: string) => void s.stdout.write(t),
  }
  try {
    await writeResult(result, mode, () => s.state.pipeClosed)
  } finally {
    progress.finish()
  }
  return 0
}

/**
 * App logs go to stderr as JSON lines, from `warn` up unless MANIFOLD_LOG or --debug says
 * otherwise. The core's own log of an internal error is left out: the CLI reports that error
 * itself, with its stack under --debug.
 */
function cliLogger(s: Session) {
  const wanted = s.env.MANIFOLD_LOG?.toLowerCase()
  const levels = ['debug', 'info', 'warn', 'error', 'silent'] as const
  const level = s.globals?.debug ? 'debug' : (levels.find((l) => l === wanted) ?? 'warn')
  return createLogger({
    level,
    fields: { app: s.target.name },
    write: (line) => {
      if (!s.globals?.debug && line.includes('"msg":"operation failed"')) return
      s.stderr.write(`${line}\n`)
    },
  })
}

function flagLabel(s: Session, path: string): string {
  const flag = s.flags.find((f) => f.path.join('.') === path)
  if (flag === undefined) return path === '' ? 'input' : path
  return flag.position !== undefined ? `<${flag.name}>` : `--${flag.name}`
}

async function reportError(s: Session, thrown: unknown): Promise<number> {
  const error = toManifoldError(thrown)
  const code = errorCodes[error.code].exitCode
  const g = s.globals
  const jsonErrors = g?.json === true || g?.format === 'json' || g?.format === 'ndjson'
  if (jsonErrors) {
    s.stderr.write(toJson(toProblem(error)))
  } else {
    const c = errPaint(s)
    const lines: string[] = []
    if (error.code === 'invalid_input' && error.errors.length > 0) {
      lines.push(`${c.red(c.bold('Error:'))} Invalid input`)
      for (const e of error.errors) {
        const missing = s.input !== undefined && e.path !== '' && !hasPath(s.input, e.path.split('.'))
        const message = missing ? 'missing, and required' : e.message
        lines.push(
          // A flag's or argument's own parse error names it already.
          e.message.includes('"--') || e.message.startsWith('Cannot parse argument <')
            ? `  ${e.message}`
            : `  ${c.bold(flagLabel(s, e.path))}: ${message}`,
        )
      }
    } else {
      lines.push(`${c.red(c.bold('Error:'))} ${error.message}`)
    }
    if (error.code === 'internal' && !g?.debug)
      lines.push(`${c.dim('Hint:')} Run again with --debug to see the cause`)
    const showUsage = (error.code === 'invalid_input' || error.code === 'usage') && s.node?.op !== undefined
    if (showUsage && s.node !== undefined) {
      const { usageLine } = await import('./help.ts')
      lines.push(`${c.dim('Usage:')} ${usageLine(s.name, s.node, s.flags)}`)
    }
    if (error.hint !== undefined) lines.push(`${c.dim('Hint:')} ${error.hint}`)
    if (g?.debug) {
      let e: unknown = error
      while (e instanceof Error) {
        if (e.stack !== undefined) lines.push(c.dim(e.stack))
        e = e.cause
      }
    }
    s.stderr.write(`${lines.join('\n')}\n`)
  }
  return code
}

async function runBuiltin(
  s: Session,
  name: string,
  rest: readonly string[],
  root: CommandNode,
): Promise<number> {
  if (name === 'help') {
    const words = rest.filter((w) => !w.startsWith('-'))
    const r = route(words, root)
    if (r.kind === 'node') return showHelp(s, r.node)
    return showHelp(s, root)
  }
  if (name === 'completion' || name === '__complete') {
    const m = await import('./completion.ts')
    if (name === 'completion') {
      s.stdout.write(m.completionScript(rest[0], s.name))
      return 0
    }
    s.stdout.write(m.complete(root, rest[0] === '--' ? rest.slice(1) : rest, flagsOfNode))
    return 0
  }
  // mcp: the two modules it runs, not all of manifold/mcp (mcpHandler and its HTTP bridge stay out)
  if (rest[0] === 'config') {
    const { mcpConfig } = await import('../mcp/config.ts')
    const proc = nodeProcess()
    const command = proc.argv[0] ?? 'node'
    const args = [...proc.execArgv, ...(proc.argv[1] === undefined ? [] : [proc.argv[1]]), 'mcp']
    s.stdout.write(`${JSON.stringify(mcpConfig(s.target, { command, args }), null, 2)}\n`)
    return 0
  }
  const { serveMcp } = await import('../mcp/serve.ts')
  await serveMcp(s.target, { transport: 'stdio' })
  return 0
}

/** Output-related global flags, for errors thrown before argv was fully parsed. */
function scanGlobals(argv: readonly string[]): GlobalOptions {
  const has = (flag: string) => argv.includes(flag)
  const format =
    argv.find((_a, i) => argv[i - 1] === '--format') ?? argv.find((a) => a.startsWith('--format='))?.slice(9)
  return {
    ...parseFlags([], []).globals,
    json: has('--json'),
    format: format === 'json' || format === 'ndjson' ? format : undefined,
    debug: has('--debug'),
    color: has('--no-color') ? false : has('--color') ? true : undefined,
  }
}

/** The exit code of one run; never throws. */
async function execute(s: Session, argv: readonly string[]): Promise<number> {
  const root = commandTree(s.target)
  try {
    const r = route(argv, root)
    if (r.kind === 'builtin') return await runBuiltin(s, r.name, r.rest, root)
    return await runCommand(s, r.node, r.rest)
  } catch (error) {
    if (s.state.pipeClosed) return 0
    s.globals ??= scanGlobals(argv)
    return reportError(s, error)
  }
}

/**
 * Whether a file descriptor is a terminal, without opening a stream on it, and asking node:tty
 * only for a character device: node:tty is not loaded yet when stdout is a pipe, and loading it
 * costs more than the whole of a small command's own work.
 */
function isatty(proc: NodeJS.Process, fd: number): boolean {
  try {
    if (!proc.getBuiltinModule('node:fs').fstatSync(fd).isCharacterDevice()) return false
  } catch {
    return false
  }
  return proc.getBuiltinModule('node:tty').isatty(fd)
}

/**
 * stdout when it is a pipe or a file: each write goes straight to fd 1 with `writeSync`, which is
 * what `process.stdout` does there too (its writes to pipes and files are synchronous on Linux and
 * macOS), without building that stream, a measurable part of a short command's start. A full
 * non-blocking pipe (EAGAIN) hands the rest, and every later write, to `process.stdout`, and
 * `flush()` waits until that stream has written everything; a closed pipe (EPIPE) goes to the
 * `error` listener, as the stream's error would.
 */
function fdWriter(proc: NodeJS.Process): CliWriter & { flush(): Promise<void> } {
  const { writeSync } = proc.getBuiltinModule('node:fs')
  let stream: NodeJS.WriteStream | undefined
  let onError: ((error: Error) => void) | undefined
  return {
    isTTY: false,
    write(text: string) {
      if (stream !== undefined) return stream.write(text)
      const bytes = Buffer.from(text)
      let at = 0
      try {
        while (at < bytes.length) at += writeSync(1, bytes, at)
      } catch (error) {
        const code = (error as { code?: string }).code
        if (code === 'EAGAIN') {
          stream = proc.stdout
          if (onError !== undefined) stream.on('error', onError)
          return stream.write(bytes.subarray(at))
        }
        if (code === 'EPIPE' && onError !== undefined) {
          onError(error as Error)
          return false
        }
        throw error
      }
      return true
    },
    on(_event: 'error', listener: (error: Error) => void) {
      onError = listener
      return undefined
    },
    flush() {
      const pending = stream
      if (pending === undefined || pending.writableLength === 0) return Promise.resolve()
      return new Promise((resolve) => pending.write('', () => resolve()))
    },
  }
}

/**
 * Set by `manifold build` while it trains the V8 code cache of cli.mjs (tool's fast-start.ts):
 * `true`, or a function that receives what the rehearsal prints (for tests).
 */
const training = Symbol.for('manifold.cli.training')
let rehearsed = false

/**
 * While `manifold build` trains cli.mjs's code cache, one call of a throwaway app goes through
 * the whole path of a command (flags, validation, invoke, text output), so that the cache holds
 * that code compiled too and a real command does not compile it at each start. It never calls an
 * operation of the app itself.
 */
async function rehearse(print: ((text: string) => void) | undefined): Promise<void> {
  rehearsed = true
  const schema = { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] }
  const input: StandardSchemaV1<{ name: string }> & StandardJSONSchemaV1<{ name: string }> = {
    '~standard': {
      version: 1,
      vendor: 'manifold',
      validate: (value) => ({ value: value as { name: string } }),
      jsonSchema: { input: () => schema, output: () => schema },
    },
  }
  const say = op({ name: 'say', input, handler: ({ name }) => name })
  const sink: CliWriter = { write: (text: string) => print?.(text), isTTY: false, columns: 80 }
  const target = app({ name: 'rehearsal', version: '0.0.0', operations: [say] })
  await runCli(target, {
    argv: ['say', '--name', 'rehearsed'],
    stdout: sink,
    stderr: sink,
    exit: () => {},
    env: {},
  })
}

/**
 * Runs the app as a command-line tool: parses argv, calls the operation, prints the result,
 * and exits with the code of the core's error table. Resolves to the exit code (after
 * calling `exit` with it).
 *
 * @example
 * ```ts
 * // src/bin/cli.ts, the whole entry file of an app's CLI
 * import { runCli } from 'manifold/cli'
 * import app from '../core/app.ts'
 * runCli(app)
 * ```
 */
export async function runCli(target: AnyApp, options: RunCliOptions = {}): Promise<number> {
  const proc = nodeProcess()
  const direct = options.stdout === undefined && !isatty(proc, 1) ? fdWriter(proc) : undefined
  const stdout = options.stdout ?? direct ?? proc.stdout
  // stderr is opened on first use: a command that only prints its result never needs it, and
  // opening it (a second stream) is a measurable part of a CLI's start.
  let stderrStream: CliWriter | undefined
  const stderr = () => (stderrStream ??= options.stderr ?? proc.stderr)
  const stdin = () => options.stdin ?? proc.stdin
  const env = options.env ?? proc.env
  const exit = options.exit ?? ((code: number) => proc.exit(code))
  // stdin and stderr are asked on first use, once each.
  let stdinTTY: boolean | undefined
  let stderrTTY: boolean | undefined
  const tty = {
    get stdin() {
      stdinTTY ??= options.isTTY ?? (options.stdin === undefined ? isatty(proc, 0) : stdin().isTTY === true)
      return stdinTTY
    },
    stdout: options.isTTY ?? stdout.isTTY === true,
    get stderr() {
      stderrTTY ??=
        options.isTTY ?? (options.stderr === undefined ? isatty(proc, 2) : stderr().isTTY === true)
      return stderrTTY
    },
  }
  // A pseudo-terminal may report 0 columns: fall back to COLUMNS, then 80.
  const width = (n: number | undefined) => (n !== undefined && n > 0 ? n : undefined)
  let columns: number | undefined
  const s: Session = {
    target,
    name: options.name ?? target.name,
    env,
    stdin,
    stdout,
    get stderr() {
      return stderr()
    },
    tty,
    get columns() {
      columns ??=
        options.columns ??
        width(stdout.columns) ??
        (tty.stderr ? width(stderr().columns) : undefined) ??
        (Number(env.COLUMNS) || 80)
      return columns
    },
    controller: new AbortController(),
    state: { pipeClosed: false },
    globals: undefined,
    input: undefined,
    node: undefined,
    flags: [],
    prompter: undefined,
  }
  // A closed pipe (`| head -1`) is a normal way to stop reading: end quietly.
  stdout.on?.('error', (error: Error & { code?: string }) => {
    if (error.code !== 'EPIPE') throw error
    s.state.pipeClosed = true
    s.controller.abort(new Cancelled('Output closed'))
    exit(0)
  })
  const handleSignals = options.handleSignals ?? options.exit === undefined
  let interrupts = 0
  const onSigint = () => {
    interrupts++
    if (interrupts > 1) exit(errorCodes.cancelled.exitCode)
    s.controller.abort(new Cancelled('Interrupted'))
    // Give the handler a moment to clean up, then leave whatever it does.
    setTimeout(() => exit(errorCodes.cancelled.exitCode), 2000).unref()
  }
  // A handler that only awaits ctx.signal holds nothing open; keep the process up until Ctrl-C.
  const keepAlive = handleSignals ? setInterval(() => {}, 1 << 30) : undefined
  if (handleSignals) proc.on('SIGINT', onSigint)
  const code = await execute(s, options.argv ?? proc.argv.slice(2))
  s.prompter?.close()
  if (handleSignals) proc.off('SIGINT', onSigint)
  clearInterval(keepAlive)
  try {
    await stopApp(target)
  } catch {
    // Releasing deps failed; the result is out already and the process ends anyway.
  }
  const trainer = (globalThis as Record<symbol, unknown>)[training]
  if (trainer !== undefined && !rehearsed)
    await rehearse(typeof trainer === 'function' ? (trainer as (text: string) => void) : undefined)
  // What a full pipe left queued is written before the process ends.
  await direct?.flush()
  exit(code)
  return code
}
