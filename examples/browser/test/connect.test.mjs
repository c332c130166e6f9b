// The page as a user meets it, in headless Chromium (popup blocker on): the emulator (webhooks to
// the Node example backend), the backend, this folder's dev server, a click on "Connect Zendesk",
// "Allow" in the popup; the page shows the connection and the backend verifies its webhooks.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'
import { freePort, run, startBackend, startEmulator } from '../../node/test/processes.mjs'

let emulator, backend, site, browser

before(async () => {
  const port = await freePort()
  emulator = await startEmulator(`http://127.0.0.1:${port}/webhook`)
  backend = await startBackend(emulator, port)
  site = run(process.execPath, [fileURLToPath(new URL('../serve.mjs', import.meta.url))], { BACKEND_URL: backend.url, PORT: '0' })
  site.url = (await site.waitForLine(/^serving /)).slice('serving '.length)
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_BIN || '/usr/bin/chromium',
    args: [
      '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--disable-quic', '--no-first-run',
    ],
    // Keep the popup blocker on: the page must open the popup inside the click.
    ignoreDefaultArgs: ['--disable-popup-blocking'],
  })
})
after(async () => {
  await browser?.close()
  await site?.stop()
  await backend?.stop()
  await emulator?.stop()
})

test('Connect Zendesk: popup, Allow, connection shown, webhook verified by the backend', { timeout: 60_000 }, async () => {
  const page = await browser.newPage()
  const errors = []
  page.on('pageerror', (err) => errors.push(err.message))
  await page.goto(site.url)
  await page.waitForSelector('#connect:not([disabled])')
  assert.equal(await page.textContent('#status'), 'Not connected.')

  const [popup] = await Promise.all([page.waitForEvent('popup'), page.click('text=Connect Zendesk')])
  await popup.waitForSelector('text=Allow')
  await popup.click('text=Allow')

  const status = await page.waitForSelector('#status:has-text("Connected zendesk: ")')
  const connectionId = (await status.textContent()).slice('Connected zendesk: '.length)
  assert.ok(connectionId.length > 0)

  // The backend got Nango's webhooks for this very connection, verified them, and pulled the tickets.
  await backend.waitForLine(new RegExp(`^webhook verified: auth ${connectionId}$`))
  const pulled = await backend.waitForLine(new RegExp(`^pulled \\d+ Ticket for ${connectionId} from modifiedAfter`))
  assert.match(pulled, /^pulled 50 /)
  assert.deepEqual(errors, [])
  await page.close()
})
