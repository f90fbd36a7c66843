/**
 * Input fields every project-level command shares: where the project is and how to resolve packages.
 *
 * @module
 */
import * as z from 'zod'

/** `--root` and `--conditions`, shared by build, dev, openapi and deploy-template. */
export const projectFields = {
  root: z.string().default('.').describe('Folder of the app (its package.json)'),
  conditions: z
    .array(z.string())
    .default([])
    .describe('Extra package.json export conditions, e.g. "source" to bundle workspace packages from source'),
}
