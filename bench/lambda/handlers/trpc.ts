/** tRPC with its aws-lambda adapter (GET /hello?input=…, as tRPC clients call queries). */
import { initTRPC } from '@trpc/server'
import { awsLambdaRequestHandler } from '@trpc/server/adapters/aws-lambda'
import { Hello } from './schema.ts'

const t = initTRPC.create()
const router = t.router({
  hello: t.procedure.input(Hello).query(({ input }) => ({ message: `Hello, ${input.name}` })),
})

export const handler = awsLambdaRequestHandler({ router, createContext: () => ({}) })
