// The AWS Lambda handler: API Gateway (REST and HTTP APIs), Function URLs, ALB, SQS (records
// are `{ "op", "input" }`), EventBridge (a "Note Requested" event adds its detail as a note)
// and direct calls.
import { lambda } from 'manifold/lambda'
import notes from '../core/app.ts'

export const handler = lambda(notes, { events: { 'Note Requested': 'add' } })
