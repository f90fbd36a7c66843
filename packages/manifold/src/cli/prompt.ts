/**
 * Questions on a terminal: missing required input (with the field's description and choices)
 * and the confirmation of destructive commands. Only ever used when stdin and stderr are TTYs.
 *
 * @module
 */
import { createInterface } from 'node:readline/promises'
import type { Paint } from './color.ts'
import type { FlagSpec } from './flags.ts'

/** Where questions are asked. */
export interface PromptIo {
  readonly input: NodeJS.ReadableStream
  readonly output: NodeJS.WritableStream
  readonly paint: Paint
  readonly signal: AbortSignal
}

async function ask(io: PromptIo, question: string): Promise<string> {
  const rl = createInterface({ input: io.input, output: io.output, terminal: true })
  try {
    return await rl.question(question, { signal: io.signal })
  } finally {
    rl.close()
  }
}

/** Asks for the text of one missing flag; repeats until the answer is not empty. */
export async function askFlag(io: PromptIo, flag: FlagSpec): Promise<string> {
  const c = io.paint
  const about = [flag.description, flag.choices ? `one of: ${flag.choices.join(', ')}` : undefined]
    .filter((x) => x !== undefined)
    .join('; ')
  for (;;) {
    const answer = (await ask(io, `${c.bold(`--${flag.name}`)}${about ? c.dim(` (${about})`) : ''}: `)).trim()
    if (answer !== '') return answer
  }
}

/** Asks yes/no; only "y" or "yes" confirms. */
export async function confirm(io: PromptIo, question: string): Promise<boolean> {
  const answer = await ask(io, `${question} ${io.paint.dim('[y/N]')} `)
  return /^y(es)?$/i.test(answer.trim())
}
