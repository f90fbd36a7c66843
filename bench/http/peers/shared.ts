/** The one workload every server runs: validate a JSON body with zod, answer JSON. */
import * as z from 'zod'

export const User = z.object({
  name: z.string().min(1),
  email: z.email(),
  age: z.int().min(0).max(150),
})

export type UserInput = z.infer<typeof User>

export const created = (input: UserInput) => ({ id: 42, ...input })

/** Tells the runner the port, on the first line of stdout. */
export function ready(port: number): void {
  process.stdout.write(`listening ${port}\n`)
}

export const port = Number(process.env.PORT ?? '0')
