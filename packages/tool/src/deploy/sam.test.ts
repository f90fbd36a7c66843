import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { app, op } from 'manifold'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import plain from '../../test/fixtures/plain/src/core/app.ts'
import { toConfig } from '../config.ts'
import { logicalId, samTemplate } from './sam.ts'
import { toYaml } from './yaml.ts'

const root = fileURLToPath(new URL('../../test/fixtures/plain/', import.meta.url))
const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as Record<string, unknown>
const config = toConfig(root, pkg)

type Json = Record<string, unknown>
const template = parse(toYaml(samTemplate(plain, config))) as {
  Resources: Record<string, { Type: string; Properties: Json }>
  Outputs: Json
}
const fn = template.Resources.Function
const events = fn?.Properties.Events as Record<string, { Type: string; Properties: Json }>

describe('samTemplate', () => {
  it('samTemplate describes one arm64 nodejs22.x function with the zip', () => {
    expect(fn?.Type).toBe('AWS::Serverless::Function')
    expect(fn?.Properties).toMatchObject({
      CodeUri: 'dist/lambda.zip',
      Handler: 'index.handler',
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
    })
  })

  it('samTemplate has one HttpApi event per route of every operation on HTTP', () => {
    const http = Object.values(events)
      .filter((e) => e.Type === 'HttpApi')
      .map((e) => `${e.Properties.Method} ${e.Properties.Path}`)
    expect(http.sort()).toEqual(['GET /greet', 'POST /count', 'POST /greet', 'POST /sum'])
  })

  it('samTemplate streams the Function URL when an operation streams', () => {
    expect(fn?.Properties.FunctionUrlConfig).toEqual({ AuthType: 'AWS_IAM', InvokeMode: 'RESPONSE_STREAM' })
    expect(template.Outputs.FunctionUrl).toBeDefined()
  })

  it('samTemplate wires the queue with partial batch failures and a dead-letter queue', () => {
    expect(events.GreetingsMessages).toEqual({
      Type: 'SQS',
      Properties: {
        Queue: { 'Fn::GetAtt': ['Greetings', 'Arn'] },
        BatchSize: 5,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      },
    })
    expect(template.Resources.Greetings?.Properties).toMatchObject({
      VisibilityTimeout: 60,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': ['GreetingsDeadLetter', 'Arn'] } },
    })
    expect(template.Resources.GreetingsDeadLetter?.Type).toBe('AWS::SQS::Queue')
  })

  it('samTemplate adds an EventBridge rule per detail-type and the schedule', () => {
    expect(events.RuleNumbersReady).toEqual({
      Type: 'EventBridgeRule',
      Properties: { Pattern: { 'detail-type': ['Numbers Ready'] } },
    })
    expect(events.Schedule).toEqual({
      Type: 'Schedule',
      Properties: { Schedule: 'rate(1 hour)', Description: 'Calls greet' },
    })
  })

  it('samTemplate buffers the Function URL when nothing streams and leaves it out when not asked', () => {
    const one = app({
      name: 'one',
      version: '1.0.0',
      operations: [op({ name: 'ping', handler: () => 'pong' })],
    })
    const withUrl = toConfig(root, { manifold: { lambda: 'l.ts', deploy: { functionUrl: true } } })
    expect(samTemplate(one, withUrl).Resources).toMatchObject({
      Function: { Properties: { FunctionUrlConfig: { InvokeMode: 'BUFFERED' } } },
    })
    const none = samTemplate(one, toConfig(root, { manifold: { lambda: 'l.ts' } }))
    expect(JSON.stringify(none)).not.toContain('FunctionUrlConfig')
  })

  it.each([
    ['a queue', { sqs: { op: 'nope' } }, /"manifold.deploy.sqs.op" binds the operation "nope"/],
    ['a rule', { events: { Thing: 'nope' } }, /deploy.events\["Thing"\]" binds the operation "nope"/],
  ])('samTemplate rejects %s bound to an unknown operation', (_, deploy, message) => {
    expect(() => samTemplate(plain, toConfig(root, { manifold: { lambda: 'l.ts', deploy } }))).toThrow(
      message,
    )
  })

  it.each([
    [['Http', 'GET', '/notes/{id}'], 'HttpGetNotesId'],
    [['Rule', 'Numbers Ready'], 'RuleNumbersReady'],
  ] as const)('logicalId turns %j into %s', (parts, id) => {
    expect(logicalId(...parts)).toBe(id)
  })
})
