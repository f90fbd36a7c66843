/**
 * `manifold init <dir>`: scaffolds a project in the manifold layout from a template.
 *
 * @module
 */
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises'
import { basename, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { op, UsageError } from 'manifold'
import * as z from 'zod'
import pkg from '../../package.json' with { type: 'json' }
import { note } from '../io.ts'

/** Templates `manifold init` knows. */
export const templates = ['minimal', 'notes'] as const

const templatesDir = fileURLToPath(new URL('../../templates/', import.meta.url))

async function filesOf(dir: string): Promise<string[]> {
  const out: string[] = []
  for (const item of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, item.name)
    if (item.isDirectory()) out.push(...(await filesOf(full)))
    else out.push(full)
  }
  return out.sort()
}

async function isEmptyDir(dir: string): Promise<boolean> {
  try {
    if (!(await stat(dir)).isDirectory()) return false
    return (await readdir(dir)).length === 0
  } catch {
    return true
  }
}

/**
 * Writes a template into a folder, filling in `{{name}}` and the package versions.
 *
 * @example
 * ```ts
 * await scaffold('my-app', { template: 'minimal', name: 'my-app' })
 * ```
 */
export async function scaffold(
  dir: string,
  options: { readonly template: (typeof templates)[number]; readonly name: string },
): Promise<string[]> {
  const from = join(templatesDir, options.template)
  const values: Record<string, string> = {
    name: options.name,
    manifoldVersion: `^${pkg.version}`,
    toolVersion: `^${pkg.version}`,
  }
  const written: string[] = []
  for (const file of await filesOf(from)) {
    // npm pack drops files named .gitignore, so the template stores it without the dot.
    const rel = relative(from, file).replace(/^gitignore$/, '.gitignore')
    const text = (await readFile(file, 'utf8')).replace(
      /\{\{(\w+)\}\}/g,
      (m, key: string) => values[key] ?? m,
    )
    const target = join(dir, rel)
    await mkdir(resolve(target, '..'), { recursive: true })
    await writeFile(target, text)
    written.push(rel.replaceAll('\\', '/'))
  }
  return written
}

/**
 * `manifold init` as an operation (run it through `invoke` in tests).
 *
 * @example
 * ```sh
 * manifold init my-app --template notes
 * ```
 */
export const init = op({
  name: 'init',
  description: 'Create a new app: src/core, src/bin/{cli,server,lambda,mcp}.ts, a test and a README',
  input: z.object({
    dir: z.string().min(1).describe('Folder to create'),
    template: z.enum(templates).default('minimal').describe('Starting point'),
    name: z
      .string()
      .regex(/^[a-z][a-z0-9-]*$/, 'use lower-case letters, digits and "-", starting with a letter')
      .optional()
      .describe('App name; defaults to the folder name'),
    force: z.boolean().default(false).describe('Write into a folder that is not empty'),
  }),
  output: z.object({ dir: z.string(), files: z.array(z.string()) }),
  cli: { positional: ['dir'], examples: ['init my-app', 'init my-notes --template notes'] },
  handler: async (input) => {
    const dir = resolve(input.dir)
    const name = input.name ?? basename(dir).toLowerCase()
    if (!/^[a-z][a-z0-9-]*$/.test(name)) {
      throw new UsageError(`Cannot use "${name}" as the app name: use lower-case letters, digits and "-"`, {
        hint: 'Pass --name my-app',
      })
    }
    if (!input.force && !(await isEmptyDir(dir))) {
      throw new UsageError(`The folder "${dir}" is not empty`, { hint: 'Pick a new folder, or pass --force' })
    }
    const files = await scaffold(dir, { template: input.template, name })
    const where = relative(process.cwd(), dir)
    note(
      `Created ${name} in ${dir}. Next:\n  cd ${where.startsWith('..') ? dir : where || '.'}\n  npm install\n  npm run build && ./dist/cli.mjs --help`,
    )
    return { dir, files }
  },
})
