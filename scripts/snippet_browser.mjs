// The browser half of scripts/run_snippets.py: opens URL in headless Chromium (popup blocker on),
// clicks SELECTOR, presses "Allow" on the emulator's consent page in the popup, and waits until the
// page's text contains EXPECT. Prints the page's text; exits 1 on a page error or a timeout.
//   node scripts/snippet_browser.mjs URL SELECTOR EXPECT   (NANGO_PLAYWRIGHT: playwright-core's index.mjs)
import { pathToFileURL } from 'node:url'

const [url, selector, expect] = process.argv.slice(2)
const { chromium } = await import(pathToFileURL(process.env.NANGO_PLAYWRIGHT).href)
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_BIN || '/usr/bin/chromium',
  args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic'],
  // Keep the popup blocker on: the page must open the popup inside the click.
  ignoreDefaultArgs: ['--disable-popup-blocking'],
})
const errors = []
let text = ''
try {
  const page = await browser.newPage()
  page.on('pageerror', (err) => errors.push(err.message))
  await page.goto(url)
  await page.waitForSelector(`${selector}:not([disabled])`, { timeout: 15_000 })
  const [popup] = await Promise.all([page.waitForEvent('popup', { timeout: 15_000 }), page.click(selector)])
  await popup.click('text=Allow', { timeout: 15_000 })
  await page.waitForFunction((want) => document.body.innerText.includes(want), expect, { timeout: 15_000 })
  text = await page.innerText('body')
} catch (err) {
  errors.push(String(err))
} finally {
  await browser.close()
}
console.log(text)
if (errors.length) {
  console.log(errors.join('\n'))
  process.exit(1)
}
