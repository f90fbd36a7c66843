// Warm per-invocation cost of one bundle: import it, check one answer, warm up, then time
// N sequential invocations of the same API Gateway v2 event. Prints JSON on stdout.
import { pathToFileURL } from 'node:url'

const [bundle, eventJson, count] = process.argv.slice(2)
const event = JSON.parse(eventJson)
const n = Number(count)
const { handler } = await import(pathToFileURL(bundle).href)
const context = {
  awsRequestId: 'bench',
  functionName: 'bench',
  getRemainingTimeInMillis: () => 30_000,
  callbackWaitsForEmptyEventLoop: true,
}
const first = await handler(structuredClone(event), context)
const body = first?.body ?? ''
if (first?.statusCode !== 200 || !body.includes('Hello, Ada')) {
  console.error(`wrong answer from ${bundle}: ${JSON.stringify(first)}`)
  process.exit(1)
}
for (let i = 0; i < 5000; i++) await handler(event, context)
const started = process.hrtime.bigint()
for (let i = 0; i < n; i++) await handler(event, context)
const ns = Number(process.hrtime.bigint() - started) / n
console.log(JSON.stringify({ nsPerOp: ns }))
