/**
 * Where the tool's own notes go: the build table, rebuilds, restarts. stderr, so stdout carries only
 * the result.
 *
 * @module
 */

/**
 * Writes one line (or block) of notes to stderr.
 *
 * @example
 * ```ts
 * note('Rebuilt cli in 120 ms')
 * ```
 */
export function note(text: string): void {
  process.stderr.write(text.endsWith('\n') ? text : `${text}\n`)
}
