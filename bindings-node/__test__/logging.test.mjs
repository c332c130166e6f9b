// The `logger` option and NANGO_LOG: core's request records reach the logger with method, path,
// status, attempt, retry delay and duration, never a key or a connection id; default silent.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { startEmulator, zendeskConfig } from './support/emulator.mjs'

const require = createRequire(import.meta.url)
const { Nango, NangoArgumentError } = require('../nango.js')

const CONNECTION = 'user-7f3a@example.com'
const CFG = { providerConfigKey: 'zendesk', connectionId: CONNECTION, model: 'Ticket', limit: 5 }
let emu

before(async () => {
  emu = await startEmulator(zendeskConfig({ connections: [CONNECTION] }))
})
after(async () => emu?.stop())

/** A logger that keeps every call: [level, message, fields]. */
function collector() {
  const calls = []
  const logger = {}
  for (const level of ['debug', 'info', 'warn', 'error']) {
    logger[level] = (message, fields) => calls.push([level, message, fields])
  }
  return { logger, calls }
}

/** Records are queued to this thread after the call settles: let them arrive. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 50))

// No read-ahead: each call is exactly one request (else the next page's request logs too).
function client(extra) {
  return new Nango({ secretKey: emu.secretKey, host: emu.url, webhookSigningKey: emu.signingKey, readAhead: false, ...extra })
}

function assertClean(text) {
  for (const secret of [emu.secretKey, emu.signingKey, CONNECTION]) {
    for (const form of [secret, secret.toUpperCase(), secret.replaceAll('-', '')]) {
      assert.ok(!text.includes(form), `the log holds ${form}: ${text}`)
    }
  }
  for (const word of ['Authorization', 'Bearer', 'Connection-Id']) assert.ok(!text.includes(word), text)
}

test('logLevel debug: every attempt, each retry with its delay, the end, with OTel fields', async () => {
  const { logger, calls } = collector()
  const nango = client({ logger, logLevel: 'debug' })
  await emu.admin('POST', '/faults', [
    { path: '/records', kind: 'status', status: 429, retry_after: 1, count: 1 },
    { path: '/records', kind: 'status', status: 503, count: 1 },
  ])
  await nango.listRecords(CFG)
  await settle()
  assert.deepEqual(calls.map(([level]) => level), ['debug', 'info', 'debug', 'info', 'debug', 'info'])
  for (const [, message, fields] of calls) {
    assert.match(message, /^nango: GET \/records\/ -> /)
    assert.equal(fields['http.request.method'], 'GET')
    assert.equal(fields['url.path'], '/records/')
  }
  const attempts = calls.filter(([level]) => level === 'debug').map(([, , f]) => [f['nango.attempt'], f['http.request.resend_count'], f['http.response.status_code']])
  assert.deepEqual(attempts, [[1, 0, 429], [2, 1, 503], [3, 2, 200]])
  const retry = calls[1]
  assert.equal(retry[2]['nango.retry.delay_ms'], 1000)
  assert.match(retry[1], /retrying in 1000 ms/)
  const [, endMessage, end] = calls.at(-1)
  assert.equal(end['http.response.status_code'], 200)
  assert.equal(end['nango.attempts'], 3)
  assert.ok(end['nango.duration_ms'] >= 1000)
  assert.match(endMessage, /\(3 attempts\)$/)

  calls.length = 0
  await assert.rejects(nango.getConnection('zendesk', 'nobody-like-this'))
  await settle()
  const [level, , fields] = calls.at(-1)
  assert.equal(level, 'warn')
  assert.equal(fields['url.path'], '/connections/{connection_id}')
  assert.equal(fields['http.response.status_code'], 404)
  assert.ok(!JSON.stringify(calls).includes('nobody-like-this'))
  assertClean(JSON.stringify(calls))
})

test('a logger alone logs at info; no logger and no level is silent; off is silent', async () => {
  const { logger, calls } = collector()
  await client({ logger }).listRecords(CFG)
  await settle()
  assert.deepEqual(calls.map(([level]) => level), ['info'])
  const { logger: off, calls: none } = collector()
  await client({ logger: off, logLevel: 'off' }).listRecords(CFG)
  await settle()
  assert.deepEqual(none, [])
})

test('logger: console, and NANGO_LOG=debug without a logger, print to the console', () => {
  const script = `
    const { Nango } = require(${JSON.stringify(fileURLToPath(new URL('../nango.js', import.meta.url)))})
    const cfg = ${JSON.stringify(CFG)}
    const opts = JSON.parse(process.argv[1])
    if (opts.console) opts.logger = console
    new Nango({ secretKey: ${JSON.stringify(emu.secretKey)}, host: ${JSON.stringify(emu.url)}, ...opts })
      .listRecords(cfg).then(() => setTimeout(() => {}, 50))`
  const run = (opts, env) => {
    const child = spawnSync(process.execPath, ['-e', script, JSON.stringify(opts)], {
      env: { ...process.env, NANGO_LOG: '', ...env }, encoding: 'utf8', timeout: 20_000,
    })
    assert.equal(child.status, 0, child.stderr)
    return child.stdout + child.stderr
  }
  const consoleInfo = run({ console: true }, {})
  assert.match(consoleInfo, /nango: GET \/records\/ -> 200 in \d+ ms \(1 attempt\)/)
  assert.match(consoleInfo, /'http\.response\.status_code': 200/)
  assert.doesNotMatch(consoleInfo, /attempt 1\)/) // the per-attempt record is debug
  const fromEnv = run({}, { NANGO_LOG: 'debug' })
  assert.match(fromEnv, /nango: GET \/records\/ -> 200 in \d+ ms \(attempt 1\)/)
  assert.equal(run({}, {}), '') // nothing set: silent
  for (const out of [consoleInfo, fromEnv]) assertClean(out)
})

test('a throwing logger or one without the method does not break the call', async () => {
  const nango = client({ logLevel: 'debug', logger: { info() { throw new Error('sink down') } } })
  const page = await nango.listRecords(CFG)
  assert.ok(Array.isArray(page.records))
  await settle()
})

test('bad logger or logLevel are refused at construction', () => {
  assert.throws(() => client({ logger: 'console' }), TypeError)
  assert.throws(() => client({ logLevel: 'loud' }), (err) => err instanceof NangoArgumentError && err.field === 'logLevel')
})
