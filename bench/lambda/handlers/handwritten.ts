/** The ceiling: a hand-written API Gateway v2 handler doing the same routing, validation and JSON. */
import { Hello } from './schema.ts'

interface V2Event {
  rawPath: string
  requestContext: { http: { method: string } }
}

const json = (statusCode: number, value: unknown) => ({
  statusCode,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(value),
  isBase64Encoded: false,
})

export const handler = async (event: V2Event) => {
  const match = /^\/hello\/([^/]+)$/.exec(event.rawPath)
  if (match === null || event.requestContext.http.method !== 'GET') return json(404, { message: 'Not found' })
  const input = Hello.safeParse({ name: decodeURIComponent(match[1] as string) })
  if (!input.success) return json(400, { message: 'Invalid input' })
  return json(200, { message: `Hello, ${input.data.name}` })
}
