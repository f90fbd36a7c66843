import { Validator } from '@seriousme/openapi-schema-validator'
import { app, op } from 'manifold'
import { openapi } from 'manifold/http'
import { describe, expect, it } from 'vitest'
import * as z from 'zod'
import { fixture } from '../../../../test/http/fixture.ts'

type Doc = {
  paths: Record<string, Record<string, Record<string, unknown>>>
  components: Record<string, Record<string, unknown>>
  tags?: { name: string }[]
}

describe('openapi()', () => {
  it('openapi() produces a document the OpenAPI 3.1 validator accepts', async () => {
    const validator = new Validator()
    const result = await validator.validate(structuredClone(openapi(fixture)))
    expect(result.errors ?? []).toEqual([])
    expect(result.valid).toBe(true)
    expect(validator.version).toBe('3.1')
  })

  it('openapi() lists every HTTP route with the operation name as operationId', () => {
    const doc = openapi(fixture) as unknown as Doc
    const ids = Object.values(doc.paths).flatMap((item) => Object.values(item).map((o) => o.operationId))
    for (const operation of fixture.operations) expect(ids).toContain(operation.name)
    expect(doc.paths['/notes/{id}']?.get?.operationId).toBe('notes.get')
    expect(doc.paths['/notes/search']?.get?.operationId).toBe('notes.search.get')
    expect(doc.paths['/notes/search']?.post?.operationId).toBe('notes.search')
  })

  it('openapi() describes parameters, bodies, statuses and problem responses', () => {
    const doc = openapi(fixture) as unknown as Doc
    const search = doc.paths['/notes/search']?.get as {
      parameters: { name: string; in: string; required: boolean }[]
    }
    expect(search.parameters.map((p) => [p.name, p.in, p.required])).toContainEqual(['q', 'query', true])
    expect(search.parameters.map((p) => p.name)).toContain('tags')
    const add = doc.paths['/notes']?.post as { requestBody: unknown; responses: Record<string, unknown> }
    expect(add.requestBody).toEqual({
      required: true,
      content: { 'application/json': { schema: { $ref: '#/components/schemas/NotesAddInput' } } },
    })
    expect(Object.keys(add.responses)).toEqual(
      expect.arrayContaining(['201', '400', '401', '404', '413', '415', '500']),
    )
    expect(add.responses['404']).toEqual({ $ref: '#/components/responses/NotFound' })
    expect(doc.components.responses?.NotFound).toEqual({
      description: 'Not found',
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
    })
    const page = doc.paths['/books/{book}/pages/{n}']?.get as {
      parameters: { name: string; schema: { type: string } }[]
    }
    expect(page.parameters.find((p) => p.name === 'n')?.schema.type).toBe('integer')
  })

  it('openapi() tags operations by their dotted group and adds security schemes with auth', () => {
    const doc = openapi(fixture) as unknown as Doc
    expect(doc.tags).toEqual([{ name: 'notes' }, { name: 'pages' }])
    expect(doc.paths['/notes/{id}']?.get?.tags).toEqual(['notes'])
    expect(Object.keys(doc.components.securitySchemes ?? {})).toEqual(['bearerAuth', 'apiKeyAuth'])
    expect(doc.paths['/whoami']?.get?.security).toEqual([{ bearerAuth: [] }, { apiKeyAuth: [] }])
  })

  it('openapi() moves $defs of recursive schemas into components', async () => {
    interface Tree {
      name: string
      children: Tree[]
    }
    const Tree: z.ZodType<Tree> = z.object({ name: z.string(), children: z.array(z.lazy(() => Tree)) })
    const tree = op({ name: 'tree', input: z.object({ root: Tree }), handler: ({ root }) => root })
    const doc = openapi(app({ name: 'trees', version: '1.0.0', operations: [tree] }))
    const text = JSON.stringify(doc)
    expect(text).not.toContain('#/$defs/')
    const result = await new Validator().validate(structuredClone(doc))
    expect(result.valid).toBe(true)
  })

  it('openapi() prefixes paths with the base path', () => {
    const doc = openapi(fixture, { basePath: '/api/' }) as unknown as Doc
    expect(Object.keys(doc.paths)).toContain('/api/notes/{id}')
  })
})
