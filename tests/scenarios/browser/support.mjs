// Shared by the browser scenarios: the emulator (started once per suite, stopped by PID), a
// static server for the built @nango-rs/frontend package and page.html, headless Chromium (a
// playwright-core browser server, so that its PID is known and killed even if closing fails),
// bare TCP stand-ins for servers that never answer, and the result line.
//
// The page is instrumented before the package loads (instrument.js): timers, WebSockets, window
// `message` listeners, BroadcastChannels and popups are counted while live, so that "resources
// are released" is something a scenario can read back rather than assume.
import { createHash, randomUUID } from 'node:crypto'
import { appendFileSync, readFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import { createRequire } from 'node:module'
import net from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { spawnEmulator } from '../spawn_emulator.mjs'

const here = path.dirname(fileURLToPath(import.meta.url))
export const REPO = path.resolve(here, '..', '..', '..')
const PACKAGE = path.join(REPO, 'bindings-wasm')
const BIN = process.env.NANGO_EMULATOR_BIN ??
  path.join(REPO, 'target', 'x86_64-unknown-linux-gnu', 'debug', 'nango-emulator')

// playwright-core is a dev dependency of the browser package (installed by its build).
const { chromium } = createRequire(path.join(PACKAGE, 'package.json'))('playwright-core')

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

/** A failed check. */
export function ensure (cond, message) {
  if (!cond) throw new Error(typeof message === 'function' ? message() : message)
}

/**
 * The emulator with its DEFAULT configuration, not ../emulator.json: the browser package needs
 * the `demo-api-key` (API_KEY) and `demo-basic` (BASIC) integrations of the default demo for
 * its credential routes, and none of the 65,000 seeded records the other languages page through.
 */
export async function startEmulator () {
  const { child, ready } = await spawnEmulator(BIN, ['--port', '0'])
  return new Emulator(child, ready)
}

export class Emulator {
  constructor (child, ready) {
    this.child = child
    this.url = ready.url
    this.secretKey = ready.secret_key
    this.port = Number(new URL(ready.url).port)
  }

  /** SIGTERM by PID, SIGKILL if it lingers. */
  async stop () {
    if (this.child.exitCode !== null) return
    const exited = new Promise((resolve) => this.child.once('exit', resolve))
    process.kill(this.child.pid, 'SIGTERM')
    const timer = setTimeout(() => { try { process.kill(this.child.pid, 'SIGKILL') } catch {} }, 10000)
    await exited
    clearTimeout(timer)
  }

  async call (method, pathname, body) {
    const response = await fetch(this.url + pathname, {
      method,
      headers: { Authorization: `Bearer ${this.secretKey}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const text = await response.text()
    if (response.status >= 300) throw new Error(`${method} ${pathname}: HTTP ${response.status}: ${text}`)
    return text ? JSON.parse(text) : null
  }

  admin (method, pathname, body) { return this.call(method, '/_emulator' + pathname, body) }
  addFaults (rules) { return this.admin('POST', '/faults', rules) }
  async faultsLeft () { return (await this.admin('GET', '/faults')).faults.length }
  async reset () {
    await this.admin('DELETE', '/faults')
    await this.admin('DELETE', '/rate-limit')
  }

  /** `POST /connect/sessions` with the secret key (the backend's job): a token for the browser. */
  async sessionToken () {
    return (await this.call('POST', '/connect/sessions', { end_user: { id: 'browser-user' } })).data.token
  }

  /** What the backend sees of a connection the browser created. */
  async connectionStatus (providerConfigKey, connectionId) {
    const url = `${this.url}/connections/${encodeURIComponent(connectionId)}?provider_config_key=${providerConfigKey}`
    return (await fetch(url, { headers: { Authorization: `Bearer ${this.secretKey}` } })).status
  }
}

const TYPES = { '.js': 'text/javascript', '.html': 'text/html', '.wasm': 'application/wasm' }

/**
 * Serves the built package (index.js, pkg/) and this directory's page.html and instrument.js on
 * 127.0.0.1. Nothing else: the package must load from exactly the files it ships.
 */
export async function startPageServer () {
  const files = {
    '/': path.join(here, 'page.html'),
    '/instrument.js': path.join(here, 'instrument.js'),
    '/index.js': path.join(PACKAGE, 'index.js'),
    '/pkg/nango_wasm.js': path.join(PACKAGE, 'pkg', 'nango_wasm.js'),
    '/pkg/nango_wasm_bg.wasm': path.join(PACKAGE, 'pkg', 'nango_wasm_bg.wasm'),
  }
  const server = createServer(async (req, res) => {
    const file = files[new URL(req.url, 'http://x').pathname]
    if (!file) return res.writeHead(404).end()
    try {
      const body = await readFile(file)
      res.writeHead(200, { 'Content-Type': TYPES[path.extname(file) || '.html'] }).end(body)
    } catch {
      res.writeHead(404).end()
    }
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => closeServer(server) }
}

function closeServer (server) {
  server.closeAllConnections?.()
  return new Promise((resolve) => server.close(() => resolve()))
}

/**
 * Headless Debian Chromium through a playwright browser server (its PID is ours to kill). The
 * popup blocker stays on, as in a real browser; playwright's evaluate() counts as a user gesture.
 */
export async function launchBrowser () {
  const server = await chromium.launchServer({
    executablePath: process.env.CHROMIUM_BIN || '/usr/bin/chromium',
    args: [
      '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--disable-quic', '--no-first-run',
    ],
    ignoreDefaultArgs: ['--disable-popup-blocking'],
  })
  const pid = server.process().pid
  const browser = await chromium.connect(server.wsEndpoint())
  return {
    browser,
    pid,
    async close () {
      try { await browser.close() } catch {}
      try { await server.close() } catch {}
      try { process.kill(pid, 0); process.kill(pid, 'SIGKILL') } catch {}
    },
  }
}

/**
 * A fresh context and page on page.html with the package imported. Every console message (all
 * levels), page error and request is recorded; requests to any host other than 127.0.0.1 are
 * aborted and recorded (this machine has no internet, and a test must never reach one).
 */
export async function openPage (browser, pageServer) {
  const context = await browser.newContext()
  const log = { console: [], pageErrors: [], foreign: [], requests: [] }
  context.on('console', (m) => log.console.push({ type: m.type(), text: m.text() }))
  await context.route('**/*', (route) => {
    const url = route.request().url()
    log.requests.push(url)
    if (/^(https?|wss?):\/\/127\.0\.0\.1[:/]/.test(url) || url.startsWith('about:')) return route.continue()
    log.foreign.push(url)
    return route.abort()
  })
  context.on('page', (p) => p.on('pageerror', (e) => log.pageErrors.push(String(e.stack ?? e))))
  const page = await context.newPage()
  await page.goto(pageServer.url + '/')
  await page.waitForFunction(() => window.loaded === true)
  return { context, page, log }
}

/** A page-side `fn(args)` in a fresh page, its context closed afterwards whatever happens. */
export async function withPage (browser, pageServer, fn) {
  const opened = await openPage(browser, pageServer)
  try {
    return await fn(opened)
  } finally {
    await opened.context.close()
  }
}

/** The page's live-resource counts (instrument.js), after letting pending closes run. */
export async function liveResources (page) {
  return page.evaluate(() => window.__liveCounts())
}

/** Waits until every counted resource is released or `ms` passes; returns the last counts. */
export async function waitReleased (page, ms = 3000) {
  const until = Date.now() + ms
  let counts = await liveResources(page)
  while (Object.values(counts).some((n) => n > 0) && Date.now() < until) {
    await sleep(100)
    counts = await liveResources(page)
  }
  return counts
}

export function describeCounts (counts) {
  return Object.entries(counts).map(([k, v]) => `${k}=${v}`).join(' ')
}

/**
 * A bare TCP server on 127.0.0.1 for what the emulator cannot do: `mode: 'silent'` accepts and
 * never answers (HTTP or WebSocket alike); `mode: 'open'` completes the WebSocket handshake and
 * then sends nothing; `mode: 'ack'` also sends a `connection_ack`, then nothing; `closeAfterMs`
 * ends the socket after the handshake (a drop).
 * `open()` counts connections the client has not closed.
 */
export async function startBareServer ({ mode = 'silent', closeAfterMs } = {}) {
  const sockets = new Set()
  let accepted = 0
  const server = net.createServer((socket) => {
    accepted++
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => {})
    // Seen as "released by the client" once the client's FIN arrives.
    socket.on('end', () => { socket.end(); sockets.delete(socket) })
    if (mode === 'silent') return
    let head = ''
    socket.on('data', (chunk) => {
      if (head.includes('\r\n\r\n')) {
        // The client's close frame (opcode 8): answer it and close, as a server does.
        if ((chunk[0] & 0x0f) === 8) socket.end(Buffer.from([0x88, 0x00]))
        return
      }
      head += chunk.toString('latin1')
      const key = /sec-websocket-key:\s*(\S+)/i.exec(head)
      if (!head.includes('\r\n\r\n') || !key) return
      const accept = createHash('sha1').update(key[1] + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11').digest('base64')
      socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`)
      if (mode === 'open') return
      const text = Buffer.from(JSON.stringify({ message_type: 'connection_ack', ws_client_id: randomUUID() }))
      socket.write(Buffer.concat([Buffer.from([0x81, text.length]), text]))
      if (closeAfterMs !== undefined) setTimeout(() => socket.destroy(), closeAfterMs)
    })
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = server.address().port
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}/`,
    accepted: () => accepted,
    open: () => sockets.size,
    async waitClosedByClient (ms = 5000) {
      const until = Date.now() + ms
      while (sockets.size > 0 && Date.now() < until) await sleep(50)
      return sockets.size
    },
    close () {
      for (const s of sockets) s.destroy()
      return new Promise((resolve) => server.close(() => resolve()))
    },
  }
}

/** Established TCP connections from any local process to 127.0.0.1:`port` (client side). */
export function connectionsTo (port) {
  const want = ':' + port.toString(16).toUpperCase().padStart(4, '0')
  let n = 0
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text
    try { text = readFileSync(table, 'utf8') } catch { continue }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/)
      // cols[2] is the remote address; state 01 = ESTABLISHED.
      if (cols.length > 3 && cols[2].endsWith(want) && cols[3] === '01') n++
    }
  }
  return n
}

/** Appends the result line to $NANGO_SCENARIO_RESULTS (or prints it). `status`: pass, fail, na. */
export function report (scenario, status, tally, error, seconds) {
  const line = JSON.stringify({
    language: 'browser', scenario, status,
    records: tally.records, faults: tally.faults, inputs: tally.inputs, notes: tally.notes,
    error: error ? String(error.message ?? error) : '', seconds: Math.round(seconds * 10) / 10,
  })
  if (process.env.NANGO_SCENARIO_RESULTS) appendFileSync(process.env.NANGO_SCENARIO_RESULTS, line + '\n')
  else console.log(line)
}

export function newTally () { return { records: 0, faults: 0, inputs: 0, notes: [] } }
