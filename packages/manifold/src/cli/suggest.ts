/**
 * "Did you mean" for unknown commands and flags (Damerau-Levenshtein distance, as
 * commander's suggestSimilar does).
 *
 * @module
 */

function distance(a: string, b: string): number {
  const d: number[][] = []
  for (let i = 0; i <= a.length; i++) d[i] = [i]
  for (let j = 0; j <= b.length; j++) d[0]![j] = j
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        v = Math.min(v, d[i - 2]![j - 2]! + 1)
      d[i]![j] = v
    }
  }
  return d[a.length]![b.length]!
}

/** The candidates closest to `word` (within 40% of its length, or a shared prefix). */
export function suggest(word: string, candidates: Iterable<string>): string[] {
  let best = Number.POSITIVE_INFINITY
  let found: string[] = []
  for (const c of candidates) {
    if (c.length <= 1) continue
    const dist = distance(word, c)
    const close =
      dist <= Math.max(1, Math.floor(word.length * 0.4)) || (word.length >= 3 && c.startsWith(word))
    if (!close) continue
    if (dist < best) {
      best = dist
      found = [c]
    } else if (dist === best) found.push(c)
  }
  return found
}

/** ` (did you mean "x"?)`, or the empty string. */
export function didYouMean(word: string, candidates: Iterable<string>, prefix = ''): string {
  const found = suggest(word, candidates)
  if (found.length === 0) return ''
  return `; did you mean ${found.map((c) => `"${prefix}${c}"`).join(' or ')}?`
}
