import { existsSync } from 'node:fs'
import t from 'tap'
import { chromium } from 'playwright-core'
import { buildTestApp } from './helpers/app.js'

const CHROMIUM = '/usr/bin/chromium'

// An analyst's path through Swagger UI: authorize with a key, "Try it out" on the quote operation.
t.test('Swagger UI authorizes with a key and its quote example returns 201', { skip: !existsSync(CHROMIUM) && process.env.CI === undefined ? 'Debian chromium is not installed (CI installs it)' : false }, async (t) => {
  const { app, tenant } = await buildTestApp(t)
  const { apiKey } = await tenant()
  await app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = app.server.address() as { port: number }
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']
  })
  t.teardown(async () => { await browser.close() })
  const page = await browser.newPage()
  await page.goto(`http://127.0.0.1:${port}/docs/`)
  await page.getByRole('button', { name: 'Authorize' }).first().click()
  await page.locator('.auth-container input').first().fill(apiKey)
  await page.locator('.auth-btn-wrapper button.authorize').click()
  await page.locator('.auth-btn-wrapper button.btn-done').click()

  const operation = page.locator('#operations-quotes-createQuote')
  await operation.locator('.opblock-summary').click()
  // The UI opens with "Try it out" already on (tryItOutEnabled); press it only if it is not.
  const execute = operation.getByRole('button', { name: 'Execute' })
  if (!await execute.isVisible()) await operation.getByRole('button', { name: 'Try it out' }).click()
  await execute.click()
  const status = operation.locator('.live-responses-table .response .response-col_status').first()
  await status.waitFor({ timeout: 20000 })
  const code = (await status.innerText()).trim()
  t.equal(code, '201', code === '201' ? 'Try it out on POST /v1/quotes answers 201' : await operation.locator('.live-responses-table').innerText())
  const body = await operation.locator('.live-responses-table .response-col_description pre').first().innerText()
  t.match(body, /"recommendedOptionId"/)
})
