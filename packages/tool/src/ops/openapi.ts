/**
 * `manifold openapi`: the app's OpenAPI 3.1 document, as `manifold/http` serves it.
 *
 * @module
 */
import { op } from 'manifold'
import { openapi as toOpenapi } from 'manifold/http'
import * as z from 'zod'
import { readConfig } from '../config.ts'
import { loadApp } from '../load-app.ts'
import { projectFields } from './shared.ts'

/**
 * `manifold openapi` as an operation (run it through `invoke` in tests).
 *
 * @example
 * ```sh
 * manifold openapi --json > openapi.json
 * ```
 */
export const openapi = op({
  name: 'openapi',
  description: 'Print the OpenAPI 3.1 document of the app',
  input: z.object({ ...projectFields }),
  readOnly: true,
  cli: { examples: ['openapi --json > openapi.json'] },
  handler: async (input) => {
    const config = await readConfig(input.root)
    const target = await loadApp(config, { conditions: input.conditions })
    return toOpenapi(target) as unknown as Record<string, unknown>
  },
})
