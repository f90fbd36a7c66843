// The AWS Lambda handler: API Gateway (REST and HTTP APIs), Function URLs, ALB, SQS and direct calls.
import { lambda } from 'manifold/lambda'
import notes from '../core/app.ts'

export const handler = lambda(notes)
