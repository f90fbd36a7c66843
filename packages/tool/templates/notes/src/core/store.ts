/** A note as stored and returned. */
export interface Note {
  readonly id: string
  readonly title: string
  readonly body: string
  readonly createdAt: string
}

/** Where notes live. In memory here: swap in a database behind the same methods. */
export interface Store {
  add(title: string, body: string): Note
  get(id: string): Note | undefined
  list(limit: number): Note[]
  remove(id: string): boolean
}

/** A store that keeps notes in this process. */
export function memoryStore(): Store {
  const notes = new Map<string, Note>()
  let next = 1
  return {
    add(title, body) {
      const note = { id: String(next++), title, body, createdAt: new Date().toISOString() }
      notes.set(note.id, note)
      return note
    },
    get: (id) => notes.get(id),
    list: (limit) => [...notes.values()].slice(0, limit),
    remove: (id) => notes.delete(id),
  }
}
