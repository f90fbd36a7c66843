/**
 * The canonical bytes of a result. The HTTP body, the CLI's `--json` output and the Lambda
 * HTTP body are all `toJson(value)`, so they are byte for byte equal; MCP's
 * `structuredContent` is the same value.
 *
 * @module
 */

/** Media type of a JSON result. */
export const jsonContentType = 'application/json; charset=utf-8'

/**
 * Serializes a result or a problem: compact JSON followed by one newline (so `curl` and
 * the CLI end their output cleanly). `undefined` (no result) gives the empty string.
 *
 * @example
 * ```ts
 * import { toJson } from 'manifold'
 * toJson({ id: '42' }) // '{"id":"42"}\n'
 * ```
 */
export function toJson(value: unknown): string {
  if (value === undefined) return ''
  return `${JSON.stringify(value)}\n`
}
