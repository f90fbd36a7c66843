/** Helpers shared by the notes suites that run on every surface. */
import { invoke } from 'manifold'
import notes from '../src/core/app.ts'

/** Ids and times differ by design when every surface writes its own note. */
export function stable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stable)
  if (typeof value !== 'object' || value === null) return value
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value)) {
    out[k] = k === 'id' ? '<id>' : k === 'createdAt' || k === 'updatedAt' ? '<time>' : stable(v)
  }
  return out
}

/** A new note made in process, to be changed by one surface's call. */
export async function freshNote(text = 'Draft to change', tags: string[] = ['draft']) {
  return invoke(notes, 'add', { text, tags }, { principal: { user: 'test' } })
}
