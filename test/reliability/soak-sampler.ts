/**
 * Preloaded into the soak's server process (`--import`): every SOAK_SAMPLE_MS it collects
 * garbage (with --expose-gc) and sends `process.memoryUsage()` to the parent over IPC.
 */
const every = Number(process.env.SOAK_SAMPLE_MS ?? 2_000)
const gc = (globalThis as { gc?: () => void }).gc

setInterval(() => {
  gc?.()
  const { rss, heapUsed, heapTotal, external } = process.memoryUsage()
  process.send?.({ t: Date.now(), rss, heapUsed, heapTotal, external })
}, every).unref()
