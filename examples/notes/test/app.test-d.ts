// Types the notes app gives its callers, checked by tsc: no annotation in the app's code.
import { type Context, type InputOf, invoke } from 'manifold'
import { expectTypeOf } from 'vitest'
import notes from '../src/core/app.ts'
import type { NotesDeps } from '../src/core/deps.ts'
import type { ImportResult, Note } from '../src/core/schemas.ts'

expectTypeOf(invoke(notes, 'get', { id: 1 })).resolves.toEqualTypeOf<Note>()
expectTypeOf(invoke(notes, 'remove', { id: 1 })).resolves.toEqualTypeOf<void>()
expectTypeOf(invoke(notes, 'export', {})).resolves.toEqualTypeOf<AsyncIterable<Note>>()
expectTypeOf(invoke(notes, 'import', { notes: [] })).resolves.toEqualTypeOf<AsyncIterable<ImportResult>>()
expectTypeOf<InputOf<typeof notes, 'update'>>().toHaveProperty('version')
expectTypeOf<Context['deps']>().toEqualTypeOf<NotesDeps>()
expectTypeOf<Context['config']['NOTES_TOKEN']>().toEqualTypeOf<string | undefined>()

// @ts-expect-error: no such operation
void invoke(notes, 'delete', { id: 1 })
// @ts-expect-error: get needs an id
void invoke(notes, 'get', {})
