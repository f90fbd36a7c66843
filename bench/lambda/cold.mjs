// One cold start: import the bundle and answer one API Gateway v2 event, then print the CPU
// time the process used (user + system, ms): steadier than wall time on a busy machine.
import { pathToFileURL } from 'node:url'

const [bundle, eventJson] = process.argv.slice(2)
const { handler } = await import(pathToFileURL(bundle).href)
const result = await handler(JSON.parse(eventJson), {
  awsRequestId: 'cold',
  getRemainingTimeInMillis: () => 30_000,
})
if (result?.statusCode !== 200) process.exit(1)
const cpu = process.cpuUsage()
console.log((cpu.user + cpu.system) / 1000)
