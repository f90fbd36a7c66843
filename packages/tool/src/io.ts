/**
 * Where the tool's own notes go: the build table, rebuilds, restarts. stderr, so stdout carries only
 * the result.
 *
 * @module
 */

/** Writes one line (or block) of notes to stderr. */
export function note(text: string): void {
  process.stderr.write(text.endsWith('\n') ? text : `${text}\n`)
}
