// Constructor rules, bad arguments, timeouts, cancellation, and secrets kept out of errors.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { inspect } from 'node:util'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { startEmulator, zendeskConfig } from './support/emulator.mjs'

const require = createRequire(import.meta.url)
const {
  Nango,
  NangoError,
  NangoArgumentError,
  NangoUnauthorizedError,
  NangoTimeoutError,
  NangoAbortError,
  NangoTransportError,
} = require('../nango.js')

const KEY = '11111111-2222-4333-8444-555555555555'
let emu
before(async () => {
  emu = await startEmulator(zendeskConfig({ seed: 20 }))
})
after(async () => emu?.stop())

test('constructor: at most one of apiKey/secretKey, a parsable host, sane limits', () => {
  // Without a key, core reads NANGO_SECRET_KEY (defaults.test.mjs).
  assert.throws(() => new Nango('key'), TypeError)
  assert.throws(() => new Nango({ apiKey: KEY, secretKey: KEY }), /not both/)
  assert.throws(() => new Nango({ apiKey: KEY, host: 'not a url' }), (err) => err instanceof NangoArgumentError && err.field === 'host')
  assert.throws(() => new Nango({ apiKey: KEY, host: 'ftp://x' }), NangoArgumentError)
  assert.throws(() => new Nango({ apiKey: 42 }), TypeError)
  // Out-of-bounds numbers are core's errors (tests/vectors/config.json); a wrong type is ours.
  assert.throws(() => new Nango({ apiKey: KEY, timeoutMs: -1 }), (err) => err instanceof NangoArgumentError && err.field === 'timeout')
  assert.throws(() => new Nango({ apiKey: KEY, timeoutMs: 1e12 }), (err) => err instanceof NangoArgumentError && err.field === 'timeout')
  assert.throws(() => new Nango({ apiKey: KEY, timeoutMs: 'soon' }), TypeError)
  assert.throws(() => new Nango({ apiKey: KEY, maxRetries: 1.5 }), (err) => err instanceof NangoArgumentError && err.field === 'max_retries')
  assert.throws(() => new Nango({ apiKey: KEY, timeoutMs: NaN }), TypeError)
  assert.throws(() => new Nango({ apiKey: KEY, maxRetries: 1000 }), (err) => err instanceof NangoArgumentError && err.field === 'max_retries')
  assert.throws(() => new Nango({ apiKey: '' }), NangoArgumentError)
  assert.equal(new Nango({ apiKey: KEY }).host, 'https://api.nango.dev')
  assert.equal(new Nango({ secretKey: KEY, host: 'http://127.0.0.1:3003/' }).host, 'http://127.0.0.1:3003')
  // Official extras are accepted.
  new Nango({ apiKey: KEY, connectionId: 'c', providerConfigKey: 'p', isSync: false })
})

test('bad arguments reject with TypeError or NangoError, never crash, send nothing', async () => {
  const nango = new Nango({ secretKey: emu.secretKey, host: emu.url })
  await emu.admin('DELETE', '/requests')
  const cases = [
    () => nango.listRecords(),
    () => nango.listRecords(null),
    () => nango.listRecords('Ticket'),
    () => nango.listRecords({ providerConfigKey: 'zendesk', connectionId: 'conn-1', model: 5 }),
    () => nango.listRecords({ providerConfigKey: 'zendesk', connectionId: 'conn-1', model: 'Ticket', limit: -1 }),
    () => nango.listRecords({ providerConfigKey: 'zendesk', connectionId: 'conn-1', model: 'Ticket', limit: 1e12 }),
    () => nango.listRecords({ providerConfigKey: 'zendesk', connectionId: 'conn-1', model: 'Ticket', limit: NaN }),
    () => nango.listConnections({ limit: Infinity }),
    () => nango.listRecords({ providerConfigKey: 'zendesk', connectionId: 'conn-1', model: 'Ticket', ids: 'x' }),
    () => nango.listRecords({ providerConfigKey: 'zendesk', model: 'Ticket' }),
    () => nango.triggerAction(),
    () => nango.triggerAction(1, 2, 3),
    () => nango.triggerAction('zendesk', 'conn-1', 'echo', () => 1),
    () => nango.triggerAction('zendesk', 'conn-1', 'echo', { big: 10n }),
    () => nango.getConnection('zendesk'),
    () => nango.getConnection('zendesk', 'conn-1', 'yes'),
    () => nango.setMetadata('zendesk', 'conn-1', [1, 2]),
    () => nango.setMetadata('zendesk', 42, {}),
    () => nango.proxy({ endpoint: '/x' }),
    () => nango.proxy(null),
    () => nango.proxy({ endpoint: '/x', providerConfigKey: 'zendesk', connectionId: 'conn-1', method: 'NOT A METHOD' }),
    () => nango.getAsyncActionResult({}),
    () => nango.getAsyncActionResult({ statusUrl: 'https://elsewhere.example/action/1' }),
    () => nango.syncStatus('zendesk', 42),
    () => nango.triggerSync('zendesk', [42]),
    () => nango.listRecords({ providerConfigKey: 'zendesk', connectionId: 'conn-1', model: 'Ticket' }, { signal: 'no' }),
    () => nango.createConnectSession({ end_user: 'me' }),
  ]
  for (const [index, call] of cases.entries()) {
    const promise = call()
    assert.ok(promise instanceof Promise, `case ${index} returns a promise`)
    await assert.rejects(promise, (err) => {
      assert.ok(err instanceof TypeError || err instanceof NangoError, `case ${index}: ${err}`)
      assert.ok(err.message.length > 10, `case ${index}: a clear message`)
      return true
    })
  }
  const { requests } = await emu.admin('GET', '/requests')
  assert.deepEqual(requests.filter((r) => !r.path.startsWith('/_emulator')), [])
  assert.throws(() => nango.records(), TypeError)
  assert.throws(() => nango.verifyIncomingWebhookRequest({ parsed: true }, {}), TypeError)
  assert.throws(() => nango.verifyIncomingWebhookRequest('{}', 'headers'), TypeError)
})

test('absurd page sizes are refused by the server as a NangoError', async () => {
  const nango = new Nango({ secretKey: emu.secretKey, host: emu.url })
  await assert.rejects(
    nango.listRecords({ providerConfigKey: 'zendesk', connectionId: 'conn-1', model: 'Ticket', limit: 50_000 }),
    (err) => err instanceof NangoError && (err.nangoCode === 'validation' || err.nangoCode === 'invalid_argument'),
  )
})

test('the secret key never shows in errors or inspection', async () => {
  const secret = '99999999-8888-4777-8666-555555555555'
  const nango = new Nango({ secretKey: secret, host: emu.url })
  assert.ok(!inspect(nango, { showHidden: true, depth: 5 }).includes(secret))
  const err = await nango.listRecords({ providerConfigKey: 'zendesk', connectionId: 'conn-1', model: 'Ticket' }).catch((e) => e)
  assert.ok(err instanceof NangoUnauthorizedError)
  assert.equal(err.nangoCode, 'unauthorized')
  assert.equal(err.status, 401)
  for (const text of [err.message, err.stack, inspect(err, { depth: 5 }), JSON.stringify(err)]) {
    assert.ok(!text.includes(secret), 'the key leaked')
  }
  const ctorErr = (() => {
    try {
      new Nango({ secretKey: secret, host: '::nope' })
    } catch (e) {
      return e
    }
  })()
  assert.ok(!`${ctorErr.message} ${ctorErr.stack}`.includes(secret))
})

test('timeoutMs bounds each attempt: a NangoTimeoutError', async () => {
  const nango = new Nango({ secretKey: emu.secretKey, host: emu.url, timeoutMs: 150, maxRetries: 0 })
  await emu.admin('POST', '/faults', { path: '/records', kind: 'delay', ms: 1500, count: 1 })
  const err = await nango.listRecords({ providerConfigKey: 'zendesk', connectionId: 'conn-1', model: 'Ticket' }).catch((e) => e)
  assert.ok(err instanceof NangoTimeoutError, String(err))
  assert.equal(err.nangoCode, 'timeout')
  await emu.admin('DELETE', '/faults')
})

test('AbortSignal cancels a call in flight and before it starts', async () => {
  const nango = new Nango({ secretKey: emu.secretKey, host: emu.url })
  await emu.admin('POST', '/faults', { path: '/action/trigger', kind: 'delay', ms: 2000, count: 1 })
  const controller = new AbortController()
  const pending = nango.triggerAction('zendesk', 'conn-1', 'echo', { a: 1 }, { signal: controller.signal })
  setTimeout(() => controller.abort(), 50)
  await assert.rejects(pending, (err) => err instanceof NangoAbortError && err.name === 'AbortError' && err.nangoCode === 'cancelled')
  await assert.rejects(
    nango.listRecords({ providerConfigKey: 'zendesk', connectionId: 'conn-1', model: 'Ticket' }, { signal: AbortSignal.abort() }),
    NangoAbortError,
  )
  // The iterator too.
  const walk = nango.records({ providerConfigKey: 'zendesk', connectionId: 'conn-1', model: 'Ticket', limit: 5 }, { signal: AbortSignal.abort() })
  await assert.rejects(walk.next(), NangoAbortError)
  await emu.admin('DELETE', '/faults')
})

test('a refused connection is a NangoTransportError marked notSent', async () => {
  const nango = new Nango({ secretKey: KEY, host: 'http://127.0.0.1:1', maxRetries: 0 })
  const err = await nango.triggerAction('p', 'c', 'a').catch((e) => e)
  assert.ok(err instanceof NangoTransportError)
  assert.equal(err.nangoCode, 'transport')
  assert.equal(err.notSent, true)
})

// Every method index.d.ts declares as returning a Promise (the native class and the methods
// nango.js defines on core's table) is called with arguments of the wrong type: none may throw.
// The table's methods must reject with core's argument error: a method plumbed by hand instead
// of going through the dispatcher gives a TypeError (or sends the request) and fails here.
const SPECIAL = new Set(['listRecords', 'proxy', 'get', 'post', 'put', 'patch', 'delete'])
test('every Promise-returning method rejects bad arguments instead of throwing', async () => {
  const dts = readFileSync(new URL('../index.d.ts', import.meta.url), 'utf8')
  const bodies = ['export declare class Nango ', 'export interface Nango '].map((start) => {
    const body = dts.slice(dts.indexOf(start))
    return body.slice(0, body.indexOf('\n}\n'))
  })
  const names = bodies.flatMap((body) => [...body.matchAll(/^ {2}(\w+)(?:<[^(]*>)?\([^\n]*\): Promise</gm)].map((m) => m[1]))
  assert.ok(names.length >= 34, `found only ${names.length} async methods in index.d.ts`)
  const nango = new Nango({ secretKey: emu.secretKey, host: emu.url })
  for (const name of names) {
    let result
    assert.doesNotThrow(() => { result = nango[name](Symbol('bad'), Symbol('bad'), Symbol('bad'), Symbol('bad')) }, `${name} threw synchronously`)
    assert.ok(result instanceof Promise, `${name} returns a promise`)
    if (SPECIAL.has(name)) {
      await assert.rejects(result, `${name} rejects`)
    } else {
      await assert.rejects(result, (err) => err instanceof NangoError && err.nangoCode === 'invalid_argument', `${name} rejects with core's argument error`)
    }
  }
})

test('the dispatcher is not public API and names core\'s operations only', async () => {
  assert.equal('dispatch' in Nango.prototype, false)
  const nango = new Nango({ secretKey: emu.secretKey, host: emu.url })
  const err = await nango.getMetadata('p', 42).catch((e) => e)
  assert.ok(err instanceof NangoError, String(err))
  assert.equal(err.nangoCode, 'invalid_argument')
  assert.equal(err.field, 'connectionId')
})

test('the bench-only exports stay out of the package (cargo feature `bench`, off by default)', async () => {
  for (const name of ['decodeJsonForBench', 'BenchRecordsPage']) {
    assert.equal(name in require('../index.js'), false, `${name} in index.js`)
    assert.equal(name in require('../nango.js'), false, `${name} in nango.js`)
    assert.equal(readFileSync(new URL('../index.d.ts', import.meta.url), 'utf8').includes(name), false, `${name} in index.d.ts`)
  }
})
