/**
 * Colour, decided once at the edge from the stream, the environment and the flags, then
 * passed down as data (clig.dev; commander's `useColor`).
 *
 * @module
 */

/** Styles text; identity when colour is off. */
export interface Paint {
  readonly on: boolean
  bold(text: string): string
  dim(text: string): string
  red(text: string): string
  green(text: string): string
  yellow(text: string): string
  cyan(text: string): string
}

/** Whether a stream gets colour: `--color`/`--no-color`, then NO_COLOR, FORCE_COLOR, TERM=dumb, TTY. */
export function useColor(
  isTTY: boolean,
  env: Readonly<Record<string, string | undefined>>,
  flag: boolean | undefined,
): boolean {
  if (flag !== undefined) return flag
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false
  const force = env.FORCE_COLOR
  if (force !== undefined) return force !== '0' && force !== 'false'
  if (env.TERM === 'dumb') return false
  return isTTY
}

const wrap = (on: boolean, open: number, close: number) =>
  on ? (text: string) => `\x1b[${open}m${text}\x1b[${close}m` : (text: string) => text

/** A {@link Paint} with colour on or off. */
export function paint(on: boolean): Paint {
  return {
    on,
    bold: wrap(on, 1, 22),
    dim: wrap(on, 2, 22),
    red: wrap(on, 31, 39),
    green: wrap(on, 32, 39),
    yellow: wrap(on, 33, 39),
    cyan: wrap(on, 36, 39),
  }
}

/** Visible width of a string: without escape codes, counting wide characters as one. */
export function visibleWidth(text: string): number {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: escape codes are what we strip
  return [...text.replace(/\x1b\[[0-9;]*m/g, '')].length
}
