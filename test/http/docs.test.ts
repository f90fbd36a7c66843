import { existsSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { type Browser, chromium } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fixture } from './fixture.ts'
import { type Started, startFixture } from './helpers.ts'

const executablePath = '/usr/bin/chromium'
const present = existsSync(executablePath)
if (!present && process.env.CI === undefined) {
  console.warn(`Skipping the /docs browser test: ${executablePath} is absent (apt-get install chromium)`)
}
const artifacts = fileURLToPath(new URL('../../test-artifacts/', import.meta.url))

describe.skipIf(!present && process.env.CI === undefined)('GET /docs in headless Chromium', () => {
  let server: Started
  let browser: Browser
  beforeAll(async () => {
    server = await startFixture()
    browser = await chromium.launch({
      executablePath,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    })
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  it('GET /docs lists every operation, works offline and shows a try-it response', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
    const problems: string[] = []
    const foreign: string[] = []
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text())
    })
    page.on('pageerror', (error) => problems.push(error.message))
    // Offline: any request that leaves the server under test is recorded and refused.
    await page.route('**/*', (route) => {
      const url = route.request().url()
      if (url.startsWith(server.url) || url.startsWith('data:')) return route.continue()
      foreign.push(url)
      return route.abort()
    })
    await page.goto(`${server.url}/docs`, { waitUntil: 'load' })
    const listed = await page
      .locator('section.op')
      .evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-op')))
    expect(listed.sort()).toEqual(fixture.operations.map((o) => o.name).sort())
    expect(await page.locator('nav a[href="#op-notes.get"]').count()).toBe(1)

    const section = page.locator('section[data-op="notes.get"]')
    await section.locator('textarea').fill('{"id":"1"}')
    await section.locator('button').click()
    const response = section.locator('pre.response')
    await expect.poll(() => response.textContent(), { timeout: 5000 }).toContain('"title": "First"')
    expect(await response.textContent()).toMatch(/^200 OK/)

    // Chromium logs every 4xx fetch as a console error, so check before the call meant to fail.
    expect(problems).toEqual([])
    const failing = page.locator('section[data-op="strict"]')
    await failing.locator('textarea').fill('{"name":"a","age":-1,"email":"x"}')
    await failing.locator('button').click()
    await expect
      .poll(() => failing.locator('pre.response').textContent(), { timeout: 5000 })
      .toContain('invalid_input')

    await mkdir(artifacts, { recursive: true })
    await page.screenshot({ path: `${artifacts}http-docs.png`, fullPage: false })
    expect(problems.filter((p) => !p.includes('status of 400'))).toEqual([])
    expect(foreign).toEqual([])
    await page.close()
  })
})
