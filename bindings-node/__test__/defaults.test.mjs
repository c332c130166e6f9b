// What a new user gets without configuring anything: core's default time limits, the
// NANGO_HOST / NANGO_SECRET_KEY defaults, and errors that say where, why and from which line.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { createServer } from 'node:net'
import { createRequire } from 'node:module'
import { startEmulator, zendeskConfig } from './support/emulator.mjs'

const require = createRequire(import.meta.url)
const { Nango, NangoArgumentError, NangoTimeoutError, NangoTransportError, NangoValidationError } = require('../nango.js')

const KEY = '11111111-2222-4333-8444-555555555555'
const RECORDS = { providerConfigKey: 'zendesk', connectionId: 'conn-1', model: 'Ticket' }

let emu
before(async () => {
  emu = await startEmulator(zendeskConfig({ seed: 5 }))
})
after(async () => emu?.stop())

/** A loopback server that accepts connections and never answers. */
async function silentServer() {
  const sockets = new Set()
  const server = createServer((socket) => sockets.add(socket))
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close() {
      for (const socket of sockets) socket.destroy()
      server.close()
    },
  }
}

/** Runs `fn` with these environment variables set (undefined removes one), then restores them. */
function withEnv(vars, fn) {
  const saved = Object.fromEntries(Object.keys(vars).map((name) => [name, process.env[name]]))
  const apply = (values) => {
    for (const [name, value] of Object.entries(values)) {
      if (value === undefined) delete process.env[name]
      else process.env[name] = value
    }
  }
  apply(vars)
  try {
    return fn()
  } finally {
    apply(saved)
  }
}

test('every call has a default timeout and deadline, decided by core', () => {
  const nango = new Nango({ apiKey: KEY })
  assert.equal(nango.timeoutMs, 60_000)
  assert.equal(nango.deadlineMs, 120_000)
  const tuned = new Nango({ apiKey: KEY, timeoutMs: 1500, deadlineMs: 4000 })
  assert.equal(tuned.timeoutMs, 1500)
  assert.equal(tuned.deadlineMs, 4000)
  // Out of core's bounds: its argument error, naming the setting; not a number at all: TypeError.
  for (const bad of [-1, 0, 1e12]) {
    assert.throws(() => new Nango({ apiKey: KEY, deadlineMs: bad }), (err) => err instanceof NangoArgumentError && err.field === 'deadline', String(bad))
  }
  for (const bad of [NaN, 'soon']) {
    assert.throws(() => new Nango({ apiKey: KEY, deadlineMs: bad }), TypeError, String(bad))
  }
})

test('a server that accepts and never answers fails the call with NangoTimeoutError', async () => {
  const silent = await silentServer()
  try {
    // The per-attempt limit, lowered to keep the test fast.
    const perAttempt = new Nango({ apiKey: KEY, host: silent.url, timeoutMs: 150, maxRetries: 0 })
    let started = Date.now()
    await assert.rejects(perAttempt.listRecords(RECORDS), (err) => err instanceof NangoTimeoutError && err.nangoCode === 'timeout')
    assert.ok(Date.now() - started < 5000)

    // The overall deadline, retries included; a synchronous action obeys it too.
    const overall = new Nango({ apiKey: KEY, host: silent.url, deadlineMs: 300 })
    started = Date.now()
    await assert.rejects(overall.listRecords(RECORDS), NangoTimeoutError)
    await assert.rejects(overall.triggerAction('zendesk', 'conn-1', 'echo', { a: 1 }), NangoTimeoutError)
    assert.ok(Date.now() - started < 5000)
  } finally {
    silent.close()
  }
})

test('NANGO_HOST and NANGO_SECRET_KEY are the defaults; an explicit option wins', async () => {
  withEnv({ NANGO_HOST: emu.url + '/', NANGO_SECRET_KEY: emu.secretKey }, () => {
    const fromEnv = new Nango()
    assert.equal(fromEnv.host, emu.url)
    assert.equal(new Nango({ host: 'http://127.0.0.1:4004' }).host, 'http://127.0.0.1:4004')
    return fromEnv.listRecords(RECORDS).then((page) => assert.equal(page.records.length, 5))
  })
  // The key from the environment authenticates (the emulator only knows its own key).
  await withEnv({ NANGO_HOST: emu.url, NANGO_SECRET_KEY: emu.secretKey }, () => new Nango({}).listRecords(RECORDS))
  await assert.rejects(
    withEnv({ NANGO_HOST: emu.url, NANGO_SECRET_KEY: emu.secretKey }, () => new Nango({ apiKey: KEY }).listRecords(RECORDS)),
    (err) => err.status === 401,
  )
  withEnv({ NANGO_HOST: undefined, NANGO_SECRET_KEY: undefined }, () => {
    assert.throws(() => new Nango(), (err) => err instanceof NangoArgumentError && /NANGO_SECRET_KEY/.test(err.message))
    assert.equal(new Nango({ apiKey: KEY }).host, 'https://api.nango.dev')
  })
  withEnv({ NANGO_HOST: 'not a url', NANGO_SECRET_KEY: KEY }, () => {
    assert.throws(() => new Nango(), (err) => err instanceof NangoArgumentError && err.field === 'NANGO_HOST')
  })
})

test('a transport error names the host, never the key or the query', async () => {
  const silent = await silentServer()
  const port = new URL(silent.url).port
  silent.close() // nothing listens there any more
  const nango = new Nango({ apiKey: KEY, host: `http://user:hunter2@127.0.0.1:${port}`, maxRetries: 0 })
  const err = await nango.listRecords({ ...RECORDS, cursor: 'secret-cursor' }).catch((e) => e)
  assert.ok(err instanceof NangoTransportError, String(err))
  assert.match(err.message, new RegExp(`127\\.0\\.0\\.1:${port}`))
  for (const secret of [KEY, 'hunter2', 'secret-cursor']) assert.ok(!err.message.includes(secret), secret)
})

test("a 400's reason is in the message", async () => {
  const nango = new Nango({ apiKey: emu.secretKey, host: emu.url })
  const err = await nango.listRecords({ ...RECORDS, modifiedAfter: 'yesterday' }).catch((e) => e)
  assert.ok(err instanceof NangoValidationError, String(err))
  assert.match(err.message, /modified_after: Invalid datetime/)
  assert.deepEqual(err.errors.map((issue) => issue.path), [['modified_after']])
})

test("an async call's error stack shows the caller's line", async () => {
  const nango = new Nango({ apiKey: KEY, host: emu.url, maxRetries: 0 })
  async function callerInThisFile() {
    return nango.listRecords(RECORDS)
  }
  const err = await callerInThisFile().catch((e) => e)
  assert.equal(err.status, 401)
  assert.match(err.stack, /^NangoUnauthorizedError: /)
  assert.match(err.stack, /callerInThisFile .*defaults\.test\.mjs:\d+:\d+/)
  // A rejection before anything is sent too.
  const bad = await nango.listRecords({ ...RECORDS, limit: -1 }).catch((e) => e)
  assert.match(bad.stack, /defaults\.test\.mjs:\d+:\d+/)
})
