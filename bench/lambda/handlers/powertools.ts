/** The Powertools for AWS Lambda HTTP event handler. */
import { Router } from '@aws-lambda-powertools/event-handler/http'
import { Hello } from './schema.ts'

const app = new Router()
app.get('/hello/:name', async ({ params }) => {
  const input = Hello.parse({ name: params.name })
  return { message: `Hello, ${input.name}` }
})

export const handler = async (event: unknown, context: Parameters<typeof app.resolve>[1]) =>
  app.resolve(event, context)
