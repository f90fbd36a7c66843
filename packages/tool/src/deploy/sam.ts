/**
 * `manifold deploy-template sam`: an AWS SAM template for the Lambda artifact, from the app's routes
 * and the Lambda bindings in config.
 *
 * @module
 */
import { relative } from 'node:path'
import { type AnyApp, routesOf, UsageError } from 'manifold'
import type { ManifoldConfig } from '../config.ts'
import type { YamlValue } from './yaml.ts'

type Mapping = { [key: string]: YamlValue }

/** Logical id of the function in the template. */
export const functionId = 'Function'

/**
 * A CloudFormation logical id from free text: `GET /notes/{id}` gives `GetNotesId`.
 *
 * @example
 * ```ts
 * logicalId('Http', 'GET', '/notes/{id}') // 'HttpGetNotesId'
 * ```
 */
export function logicalId(...parts: readonly string[]): string {
  return parts
    .join(' ')
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w !== '')
    .map((w) => w[0]?.toUpperCase() + w.slice(1).toLowerCase())
    .join('')
}

function checkOp(target: AnyApp, name: string, where: string): void {
  if (target.get(name) === undefined) {
    throw new UsageError(
      `"${where}" binds the operation "${name}", which the app "${target.name}" does not have`,
      {
        hint: `Use one of: ${target.operations.map((o) => o.name).join(', ')}`,
      },
    )
  }
}

function uniqueId(taken: Set<string>, id: string): string {
  let candidate = id
  for (let n = 2; taken.has(candidate); n++) candidate = `${id}${n}`
  taken.add(candidate)
  return candidate
}

/**
 * Builds the SAM template as data: one arm64 function with the zip, an HttpApi event per route, an
 * optional Function URL (streaming when an operation streams), the SQS queue and EventBridge rules.
 *
 * @example
 * ```ts
 * const template = samTemplate(app, await readConfig('.'))
 * await writeFile('template.yaml', toYaml(template))
 * ```
 */
export function samTemplate(target: AnyApp, config: ManifoldConfig): Mapping {
  const deploy = config.lambda
  const events: Mapping = {}
  const taken = new Set<string>()
  for (const operation of target.operations) {
    for (const route of routesOf(operation)) {
      events[uniqueId(taken, logicalId('Http', route.method, route.path) || 'HttpRoot')] = {
        Type: 'HttpApi',
        Properties: { Method: route.method, Path: route.path },
      }
    }
  }
  const resources: Mapping = {}
  if (deploy.sqs !== undefined) {
    if (deploy.sqs.op !== undefined) checkOp(target, deploy.sqs.op, 'manifold.deploy.sqs.op')
    const queue = deploy.sqs.queue
    resources[`${queue}DeadLetter`] = {
      Type: 'AWS::SQS::Queue',
      Properties: { MessageRetentionPeriod: 1209600 },
    }
    resources[queue] = {
      Type: 'AWS::SQS::Queue',
      Properties: {
        // AWS asks for at least six times the function timeout, so retries do not overlap.
        VisibilityTimeout: deploy.timeout * 6,
        RedrivePolicy: {
          deadLetterTargetArn: { 'Fn::GetAtt': [`${queue}DeadLetter`, 'Arn'] },
          maxReceiveCount: 5,
        },
      },
    }
    events[uniqueId(taken, `${queue}Messages`)] = {
      Type: 'SQS',
      Properties: {
        Queue: { 'Fn::GetAtt': [queue, 'Arn'] },
        BatchSize: deploy.sqs.batchSize,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      },
    }
  }
  for (const [detailType, opName] of Object.entries(deploy.events)) {
    checkOp(target, opName, `manifold.deploy.events["${detailType}"]`)
    if (detailType === 'Scheduled Event') {
      if (deploy.schedule === undefined) {
        throw new UsageError('"Scheduled Event" is bound but "manifold.deploy.schedule" is missing', {
          hint: 'Add "schedule": "rate(1 hour)" (or a cron expression) to "manifold.deploy"',
        })
      }
      events[uniqueId(taken, 'Schedule')] = {
        Type: 'Schedule',
        Properties: { Schedule: deploy.schedule, Description: `Calls ${opName}` },
      }
      continue
    }
    events[uniqueId(taken, logicalId('Rule', detailType))] = {
      Type: 'EventBridgeRule',
      Properties: { Pattern: { 'detail-type': [detailType] } },
    }
  }
  const streams = target.operations.some((o) => o.stream && o.http !== false)
  const codeUri = relative(config.root, `${config.outDir}/lambda.zip`).replaceAll('\\', '/')
  const properties: Mapping = {
    CodeUri: codeUri,
    Handler: 'index.handler',
    Runtime: deploy.runtime,
    Architectures: ['arm64'],
    MemorySize: deploy.memorySize,
    Timeout: deploy.timeout,
    Environment: { Variables: { NODE_OPTIONS: '--enable-source-maps', ...deploy.environment } },
  }
  if (deploy.functionUrl) {
    properties.FunctionUrlConfig = {
      AuthType: deploy.functionUrlAuth,
      InvokeMode: streams ? 'RESPONSE_STREAM' : 'BUFFERED',
    }
  }
  properties.Events = events
  const outputs: Mapping = {
    ApiUrl: {
      Description: 'HTTP API endpoint',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation Fn::Sub placeholder
      Value: { 'Fn::Sub': 'https://${ServerlessHttpApi}.execute-api.${AWS::Region}.amazonaws.com' },
    },
  }
  if (deploy.functionUrl) {
    outputs.FunctionUrl = {
      Description: 'Function URL',
      Value: { 'Fn::GetAtt': [`${functionId}Url`, 'FunctionUrl'] },
    }
  }
  if (deploy.sqs !== undefined) {
    outputs.QueueUrl = { Description: 'Queue bound to the function', Value: { Ref: deploy.sqs.queue } }
  }
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Transform: 'AWS::Serverless-2016-10-31',
    Description: `${target.name} ${target.version}, generated by manifold deploy-template sam`,
    Resources: { [functionId]: { Type: 'AWS::Serverless::Function', Properties: properties }, ...resources },
    Outputs: outputs,
  }
}
