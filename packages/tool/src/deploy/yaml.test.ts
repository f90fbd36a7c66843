import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { toYaml, type YamlValue } from './yaml.ts'

describe('toYaml', () => {
  it.each([
    ['plain words', 'index.handler'],
    ['a boolean word', 'yes'],
    ['a number-like string', '2010-09-09'],
    ['a colon and space', 'a: b'],
    ['a comment sign', 'x #y'],
    ['a leading indicator', '- item'],
    ['quotes and newlines', 'say "hi"\nbye'],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation Fn::Sub placeholder
    ['a substitution', 'https://${Api}.execute-api.${AWS::Region}.amazonaws.com'],
    ['an empty string', ''],
    ['a path template', '/notes/{id}'],
    ['a cron expression', 'cron(0 12 * * ? *)'],
  ])('toYaml keeps %s as the same string', (_, value) => {
    expect(parse(toYaml({ value }))).toEqual({ value })
  })

  it('toYaml round-trips nested mappings, sequences and empty containers', () => {
    const value: YamlValue = {
      Resources: { Queue: { Type: 'AWS::SQS::Queue', Properties: { VisibilityTimeout: 60, Fifo: false } } },
      List: [{ a: 1, b: [true, null] }, 'x', [], {}],
      Empty: {},
    }
    expect(parse(toYaml(value))).toEqual(value)
  })
})
