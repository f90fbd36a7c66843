/**
 * Reads the `manifold` field of an app's package.json: entries, externals, budgets, deploy bindings.
 *
 * @module
 */
import { readFile } from 'node:fs/promises'
import { isAbsolute, join, resolve } from 'node:path'
import { UsageError } from 'manifold'

/** The four entry points manifold builds. */
export const entryKinds = ['cli', 'server', 'lambda', 'mcp'] as const
/** One of {@link entryKinds}. */
export type EntryKind = (typeof entryKinds)[number]

/** A size limit for one artifact, in bytes. */
export interface Budget {
  readonly raw?: number
  readonly gzip?: number
}

/** The SQS queue the SAM template creates for the function (mirrors `lambda(app, { sqs })`). */
export interface SqsBinding {
  /** Logical id of the queue in the template. */
  readonly queue: string
  /** The operation the queue is bound to; absent means bodies are `{ "op", "input" }`. */
  readonly op?: string
  readonly batchSize: number
}

/** Lambda deployment settings, read by `manifold deploy-template`. */
export interface LambdaDeploy {
  /** Add a Function URL (`AWS_IAM` auth unless `functionUrlAuth` says `NONE`). */
  readonly functionUrl: boolean
  readonly functionUrlAuth: 'AWS_IAM' | 'NONE'
  readonly memorySize: number
  readonly timeout: number
  readonly runtime: 'nodejs22.x' | 'nodejs24.x'
  readonly sqs: SqsBinding | undefined
  /** EventBridge `detail-type` to operation (mirrors `lambda(app, { events })`). */
  readonly events: Readonly<Record<string, string>>
  /** Schedule expression of the rule that sends "Scheduled Event"s. */
  readonly schedule: string | undefined
  readonly environment: Readonly<Record<string, string>>
}

/** The resolved build configuration of one project. */
export interface ManifoldConfig {
  /** Absolute project directory (where package.json lives). */
  readonly root: string
  /** Package name. */
  readonly name: string
  /** Entry sources by kind, absolute paths. */
  readonly entries: Partial<Record<EntryKind, string>>
  /** Module whose default export is the app (for openapi and deploy templates), absolute. */
  readonly app: string | undefined
  /** Output directory, absolute; defaults to `dist`. */
  readonly outDir: string
  /** Packages left out of every bundle (and copied into the Lambda zip when it imports them). */
  readonly external: readonly string[]
  /** Size budgets per entry. */
  readonly budgets: Partial<Record<EntryKind, Budget>>
  /** Entries allowed to contain code of another surface, e.g. `{ lambda: ['mcp'] }`. */
  readonly allow: Partial<Record<EntryKind, readonly string[]>>
  readonly lambda: LambdaDeploy
}

/**
 * Packages that cannot be bundled: native addons (loaded through `bindings` from their own folder) and
 * optional native parts that are required lazily and usually absent.
 */
export const defaultExternal: readonly string[] = [
  'better-sqlite3',
  'pg-native',
  'sqlite3',
  'bcrypt',
  'sharp',
  'canvas',
  'fsevents',
]

const units: Record<string, number> = { b: 1, kb: 1024, mb: 1024 * 1024 }

/**
 * Parses a size: a number of bytes or a string such as `"40 KB"` or `"1.5 MB"`.
 *
 * @example
 * ```ts
 * parseSize('40 KB') // 40960
 * ```
 */
export function parseSize(value: unknown, where: string): number {
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) return value
  if (typeof value === 'string') {
    const m = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb)?\s*$/i.exec(value)
    if (m) return Math.round(Number(m[1]) * (units[(m[2] ?? 'b').toLowerCase()] ?? 1))
  }
  throw new UsageError(
    `Cannot read ${where}: expected a size such as "40 KB" or a number of bytes, got ${JSON.stringify(value)}`,
  )
}

type Json = Record<string, unknown>

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function fail(message: string): never {
  throw new UsageError(message, { hint: 'Fix the "manifold" field of package.json; see docs/build.md' })
}

function readBudget(kind: string, value: unknown): Budget {
  if (typeof value === 'string' || typeof value === 'number') {
    return { raw: parseSize(value, `budget "${kind}"`) }
  }
  if (!isObject(value)) fail(`Cannot read budget "${kind}": expected a size or { raw, gzip }`)
  const budget: { raw?: number; gzip?: number } = {}
  if (value.raw !== undefined) budget.raw = parseSize(value.raw, `budget "${kind}.raw"`)
  if (value.gzip !== undefined) budget.gzip = parseSize(value.gzip, `budget "${kind}.gzip"`)
  return budget
}

function stringList(value: unknown, where: string): string[] {
  if (value === undefined) return []
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    fail(`Cannot read "${where}": expected an array of strings`)
  }
  return value
}

function stringRecord(value: unknown, where: string): Record<string, string> {
  if (value === undefined) return {}
  if (!isObject(value) || !Object.values(value).every((x) => typeof x === 'string')) {
    fail(`Cannot read "${where}": expected an object of strings`)
  }
  return value as Record<string, string>
}

function readSqs(value: unknown): SqsBinding | undefined {
  if (value === undefined || value === false) return undefined
  const v = value === true ? {} : value
  if (!isObject(v)) fail('Cannot read "manifold.deploy.sqs": expected { "queue"?, "op"?, "batchSize"? }')
  const queue = v.queue ?? 'Queue'
  if (typeof queue !== 'string' || !/^[A-Za-z][A-Za-z0-9]*$/.test(queue)) {
    fail(
      `Cannot read "manifold.deploy.sqs.queue": expected a logical id (letters and digits), got ${JSON.stringify(queue)}`,
    )
  }
  if (v.op !== undefined && typeof v.op !== 'string')
    fail('Cannot read "manifold.deploy.sqs.op": expected a string')
  const batchSize = v.batchSize ?? 10
  if (typeof batchSize !== 'number' || !Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10000) {
    fail(
      `Cannot read "manifold.deploy.sqs.batchSize": expected an integer from 1 to 10000, got ${JSON.stringify(batchSize)}`,
    )
  }
  return { queue, batchSize, ...(typeof v.op === 'string' ? { op: v.op } : {}) }
}

function readLambda(value: unknown): LambdaDeploy {
  const v = value === undefined ? {} : value
  if (!isObject(v)) fail('Cannot read "manifold.deploy": expected an object')
  const runtime = v.runtime ?? 'nodejs22.x'
  if (runtime !== 'nodejs22.x' && runtime !== 'nodejs24.x') {
    fail(
      `Cannot read "manifold.deploy.runtime": expected "nodejs22.x" or "nodejs24.x", got "${String(runtime)}"`,
    )
  }
  const auth = v.functionUrlAuth ?? 'AWS_IAM'
  if (auth !== 'AWS_IAM' && auth !== 'NONE') {
    fail(`Cannot read "manifold.deploy.functionUrlAuth": expected "AWS_IAM" or "NONE", got "${String(auth)}"`)
  }
  const events = stringRecord(v.events, 'manifold.deploy.events')
  if (v.schedule !== undefined && typeof v.schedule !== 'string') {
    fail('Cannot read "manifold.deploy.schedule": expected an expression such as "rate(1 hour)"')
  }
  if (typeof v.schedule === 'string' && events['Scheduled Event'] === undefined) {
    fail(
      '"manifold.deploy.schedule" is set but no operation is bound to "Scheduled Event" in "deploy.events"',
    )
  }
  return {
    functionUrl: v.functionUrl === true,
    functionUrlAuth: auth,
    memorySize: typeof v.memorySize === 'number' ? v.memorySize : 512,
    timeout: typeof v.timeout === 'number' ? v.timeout : 10,
    runtime,
    sqs: readSqs(v.sqs),
    events,
    schedule: typeof v.schedule === 'string' ? v.schedule : undefined,
    environment: stringRecord(v.environment, 'manifold.deploy.environment'),
  }
}

/**
 * Turns a parsed package.json into a {@link ManifoldConfig}. Throws `UsageError` on a bad field.
 *
 * @example
 * ```ts
 * const config = toConfig('/app', { name: 'hello', manifold: { cli: 'src/bin/cli.ts' } })
 * config.entries.cli // '/app/src/bin/cli.ts'
 * ```
 */
export function toConfig(root: string, pkg: Json): ManifoldConfig {
  const field = pkg.manifold
  if (!isObject(field)) {
    fail(
      `No "manifold" field in ${join(root, 'package.json')}; add { "manifold": { "cli": "src/bin/cli.ts", … } }`,
    )
  }
  const at = (p: string): string => (isAbsolute(p) ? p : resolve(root, p))
  const entries: Partial<Record<EntryKind, string>> = {}
  for (const kind of entryKinds) {
    const value = field[kind]
    if (value === undefined) continue
    if (typeof value !== 'string' || value === '') fail(`Cannot read "manifold.${kind}": expected a path`)
    entries[kind] = at(value)
  }
  const known = new Set<string>([...entryKinds, 'app', 'outDir', 'external', 'budgets', 'allow', 'deploy'])
  for (const key of Object.keys(field)) {
    if (!known.has(key)) fail(`Unknown key "manifold.${key}"; expected one of ${[...known].join(', ')}`)
  }
  if (Object.keys(entries).length === 0)
    fail('The "manifold" field names no entry; add "cli", "server", "lambda" or "mcp"')
  const budgets: Partial<Record<EntryKind, Budget>> = {}
  if (field.budgets !== undefined) {
    if (!isObject(field.budgets)) fail('Cannot read "manifold.budgets": expected an object')
    for (const [kind, value] of Object.entries(field.budgets)) {
      if (!(entryKinds as readonly string[]).includes(kind)) fail(`Unknown budget entry "${kind}"`)
      budgets[kind as EntryKind] = readBudget(kind, value)
    }
  }
  const allow: Partial<Record<EntryKind, readonly string[]>> = {}
  if (field.allow !== undefined) {
    if (!isObject(field.allow)) fail('Cannot read "manifold.allow": expected an object')
    for (const [kind, value] of Object.entries(field.allow))
      allow[kind as EntryKind] = stringList(value, `allow.${kind}`)
  }
  return {
    root,
    name: typeof pkg.name === 'string' ? pkg.name.replace(/^@[^/]+\//, '') : 'app',
    entries,
    app: typeof field.app === 'string' ? at(field.app) : undefined,
    outDir: at(typeof field.outDir === 'string' ? field.outDir : 'dist'),
    external: [...new Set([...defaultExternal, ...stringList(field.external, 'external')])],
    budgets,
    allow,
    lambda: readLambda(field.deploy),
  }
}

/**
 * Reads `<root>/package.json` and returns its manifold configuration.
 *
 * @example
 * ```ts
 * const config = await readConfig(process.cwd())
 * ```
 */
export async function readConfig(root: string): Promise<ManifoldConfig> {
  const file = join(root, 'package.json')
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch {
    throw new UsageError(`Cannot read "${file}"`, {
      hint: 'Run manifold in the folder of your app, or pass --root',
    })
  }
  let pkg: unknown
  try {
    pkg = JSON.parse(text)
  } catch (error) {
    throw new UsageError(`Cannot parse "${file}": ${(error as Error).message}`)
  }
  if (!isObject(pkg)) throw new UsageError(`Cannot read "${file}": expected an object`)
  return toConfig(resolve(root), pkg)
}
