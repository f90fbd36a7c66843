/**
 * Questions on a terminal: missing required input (with the field's description and choices)
 * and the confirmation of destructive commands. Only ever used when stdin and stderr are TTYs.
 *
 * @module
 */
import { Cancelled } from '../errors.ts'
import type { Paint } from './color.ts'
import type { FlagSpec } from './flags.ts'

/** Where questions are asked. */
export interface PromptIo {
  readonly input: NodeJS.ReadableStream
  readonly output: NodeJS.WritableStream
  readonly paint: Paint
  readonly signal: AbortSignal
}

/** Asks questions through one readline interface (answers typed ahead are kept). */
export interface Prompter {
  /** Asks for the text of one missing flag; repeats until the answer is not empty. */
  askFlag(flag: FlagSpec): Promise<string>
  /** Asks yes/no; only "y" or "yes" confirms. */
  confirm(question: string): Promise<boolean>
  close(): void
}

/** A {@link Prompter} on a terminal. */
export async function createPrompter(io: PromptIo): Promise<Prompter> {
  // Imported here, not at the top: a bundler hoists top-level builtin imports into the CLI's
  // entry chunk, and node:readline is not free to load.
  const { createInterface } = await import('node:readline')
  const rl = createInterface({ input: io.input, output: io.output, terminal: true })
  const c = io.paint
  // Lines typed ahead (or pasted at once) wait here for their question.
  const lines: string[] = []
  let waiting: { resolve: (line: string) => void; reject: (error: Error) => void } | undefined
  let closed = false
  const fail = (error: Error) => {
    waiting?.reject(error)
    waiting = undefined
  }
  rl.on('line', (line) => {
    if (waiting === undefined) lines.push(line)
    else {
      waiting.resolve(line)
      waiting = undefined
    }
  })
  rl.on('close', () => {
    closed = true
    fail(new Cancelled('No answer: the input ended'))
  })
  io.signal.addEventListener('abort', () => fail(new Cancelled('Interrupted')), { once: true })
  const ask = (question: string): Promise<string> => {
    rl.setPrompt(question)
    rl.prompt()
    const next = lines.shift()
    if (next !== undefined) return Promise.resolve(next)
    if (closed) return Promise.reject(new Cancelled('No answer: the input ended'))
    if (io.signal.aborted) return Promise.reject(new Cancelled('Interrupted'))
    return new Promise((resolve, reject) => {
      waiting = { resolve, reject }
    })
  }
  return {
    async askFlag(flag) {
      const about = [flag.description, flag.choices ? `one of: ${flag.choices.join(', ')}` : undefined]
        .filter((x) => x !== undefined)
        .join('; ')
      for (;;) {
        const answer = (await ask(`${c.bold(`--${flag.name}`)}${about ? c.dim(` (${about})`) : ''}: `)).trim()
        if (answer !== '') return answer
      }
    },
    async confirm(question) {
      const answer = await ask(`${question} ${c.dim('[y/N]')} `)
      return /^y(es)?$/i.test(answer.trim())
    },
    close: () => rl.close(),
  }
}
