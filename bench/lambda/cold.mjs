// One cold start: import the bundle and answer one API Gateway v2 event, then exit.
import { pathToFileURL } from 'node:url'

const [bundle, eventJson] = process.argv.slice(2)
const { handler } = await import(pathToFileURL(bundle).href)
const result = await handler(JSON.parse(eventJson), {
  awsRequestId: 'cold',
  getRemainingTimeInMillis: () => 30_000,
})
if (result?.statusCode !== 200) process.exit(1)
