/** middy core around the hand-written handler (middy has no router of its own in core). */
import middy from '@middy/core'
import { handler as plain } from './handwritten.ts'

export const handler = middy().handler((event: unknown) => plain(event as Parameters<typeof plain>[0]))
