/**
 * `manifold deploy-template sam`: writes an AWS SAM template for the Lambda artifact.
 *
 * @module
 */
import { writeFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { op } from 'manifold'
import * as z from 'zod'
import { readConfig } from '../config.ts'
import { samTemplate } from '../deploy/sam.ts'
import { toYaml } from '../deploy/yaml.ts'
import { note } from '../io.ts'
import { loadApp } from '../load-app.ts'
import { projectFields } from './shared.ts'

/**
 * `manifold deploy-template sam` as an operation (run it through `invoke` in tests).
 *
 * @example
 * ```sh
 * manifold deploy-template sam --out template.yaml
 * ```
 */
export const deploySam = op({
  name: 'deploy-template.sam',
  description: 'Write an AWS SAM template.yaml (arm64, the Lambda zip, routes, queue and rules)',
  input: z.object({
    ...projectFields,
    out: z
      .string()
      .default('template.yaml')
      .describe('Where to write the template, relative to --root; "-" prints it'),
  }),
  output: z.string().describe('The template when --out is "-", else the path written'),
  cli: { examples: ['deploy-template sam', 'deploy-template sam --out - > template.yaml'] },
  handler: async (input) => {
    const config = await readConfig(input.root)
    const target = await loadApp(config, { conditions: input.conditions })
    const template = toYaml(samTemplate(target, config))
    if (input.out === '-') return template
    const path = resolve(config.root, input.out)
    await writeFile(path, template)
    note(`Wrote ${path}; deploy with: sam deploy --guided (after manifold build)`)
    return path
  },
})
