/** The one input schema every handler validates with, so each bundle carries the same zod. */
import * as z from 'zod'

export const Hello = z.object({ name: z.string().min(1) })
