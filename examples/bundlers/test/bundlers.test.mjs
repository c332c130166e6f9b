// The packed @nango-rs/frontend in two real apps: `npm pack` of bindings-wasm, installed as a
// tarball into the Vite app and the webpack 5 app, each built with its own (unchanged) config,
// served as static files on 127.0.0.1, and driven in headless Chromium through auth(): popup,
// Allow, and the connection shown on the page and seen by the backend. The Vite app also runs
// under `vite` (the dev server).
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync, spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { startEmulator } from '../../../emulator/npm/index.js'
import { backendConnection, connectSession, launchBrowser } from '../../../bindings-wasm/tests/browser/harness.mjs'
import { serveStatic } from '../serve.mjs'

const here = fileURLToPath(new URL('..', import.meta.url))
const npm = (cwd, ...args) => execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })

let emulator, browser, tarball
const packDir = mkdtempSync(join(tmpdir(), 'nango-frontend-pack-'))

before(async () => {
  // What a registry would serve: the tarball `npm publish` would upload.
  const [packed] = JSON.parse(npm(join(here, '../../bindings-wasm'), 'pack', '--json', '--pack-destination', packDir))
  tarball = join(packDir, packed.filename)
  assert.ok(packed.files.some((f) => f.path === 'pkg/nango_wasm_bg.wasm'), 'the tarball carries the wasm')
  ;[emulator, browser] = await Promise.all([startEmulator(), launchBrowser()])
})
after(async () => {
  await browser?.close()
  await emulator?.stop()
  rmSync(packDir, { recursive: true, force: true })
})

/** The user's click through auth() on the app at `siteUrl`; answers the wasm responses' statuses. */
async function connectThrough (siteUrl) {
  const context = await browser.newContext()
  try {
    const page = await context.newPage()
    const errors = []
    page.on('pageerror', (err) => errors.push(err.message))
    const wasm = []
    page.on('response', (r) => r.url().endsWith('.wasm') && wasm.push(r.status()))
    const token = await connectSession({ url: emulator.url, secret_key: emulator.secretKey })
    await page.goto(`${siteUrl}/?${new URLSearchParams({ host: emulator.url, token })}`)
    await page.waitForSelector('#status:has-text("Ready.")')

    const [popup] = await Promise.all([page.waitForEvent('popup'), page.click('#connect')])
    await popup.waitForSelector('text=Allow')
    await popup.click('text=Allow')
    const status = await page.waitForSelector('#status:has-text("Connected zendesk: ")')
    const connectionId = (await status.textContent()).slice('Connected zendesk: '.length)

    const seen = await backendConnection({ url: emulator.url, secret_key: emulator.secretKey }, 'zendesk', connectionId)
    assert.equal(seen.status, 200)
    assert.equal(seen.body.connection_id, connectionId)
    assert.deepEqual(errors, [])
    return wasm
  } finally {
    await context.close()
  }
}

for (const app of ['vite', 'webpack']) {
  test(`${app}: built from the tarball, auth() completes in Chromium`, { timeout: 120_000 }, async () => {
    const dir = join(here, app)
    npm(dir, 'install', '--no-save', '--no-audit', '--no-fund', '--loglevel=error', tarball)
    npm(dir, 'run', '-s', 'build')
    const dist = join(dir, 'dist')
    const files = readdirSync(dist, { recursive: true }).map(String)
    assert.ok(files.some((f) => f.endsWith('.wasm')), `${app} emitted the wasm: ${files.join(', ')}`)
    const site = await serveStatic(dist)
    try {
      assert.deepEqual(await connectThrough(site.url), [200], 'the page fetched the emitted wasm, once')
    } finally {
      await site.close()
    }
  })
}

// Where users meet it first: `vite` (the dev server, with its dependency optimizer), no config.
test('vite dev server: auth() completes in Chromium', { timeout: 60_000 }, async () => {
  const server = spawn(join(here, 'vite/node_modules/.bin/vite'), ['--host', '127.0.0.1', '--port', '0'], {
    cwd: join(here, 'vite'), stdio: ['ignore', 'pipe', 'inherit']
  })
  try {
    const url = await new Promise((resolve, reject) => {
      server.once('exit', (code) => reject(new Error(`vite exited (${code})`)))
      createInterface({ input: server.stdout }).on('line', (line) => {
        const found = line.replace(/\x1b\[[0-9;]*m/g, '').match(/Local:\s+(http:\/\/127\.0\.0\.1:\d+)/)
        if (found) resolve(found[1])
      })
    })
    assert.deepEqual(await connectThrough(url), [200], 'the page fetched the wasm, once')
  } finally {
    server.removeAllListeners('exit')
    if (server.exitCode === null) {
      const exited = new Promise((resolve) => server.once('exit', resolve))
      server.kill('SIGTERM')
      await exited
    }
  }
})
