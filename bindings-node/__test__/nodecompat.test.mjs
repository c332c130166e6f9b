// The official SDK's constructor options and axios-compatible errors, against the emulator on
// loopback (it records the headers of every request: `GET /_emulator/requests`), with the real
// `axios.isAxiosError` (axios comes with @nangohq/node).
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { startEmulator, zendeskConfig } from './support/emulator.mjs'

const require = createRequire(import.meta.url)
const { Nango, NangoError, NangoApiError, NangoNotFoundError, NangoArgumentError } = require('../nango.js')
// axios as the official SDK loads it.
const axios = createRequire(require.resolve('@nangohq/node'))('axios')

let emu

before(async () => {
  emu = await startEmulator(zendeskConfig({ seed: 5 }))
})
after(async () => emu?.stop())

async function recorded() {
  const res = await fetch(`${emu.url}/_emulator/requests`, { headers: { authorization: `Bearer ${emu.secretKey}` } })
  assert.ok(res.ok)
  return (await res.json()).requests
}

async function clearRecorded() {
  await fetch(`${emu.url}/_emulator/requests`, { method: 'DELETE', headers: { authorization: `Bearer ${emu.secretKey}` } })
}

test('connectionId/providerConfigKey defaults, script headers and userAgent reach the server', async () => {
  const nango = new Nango({
    secretKey: emu.secretKey,
    serverUrl: emu.url,
    connectionId: 'conn-1',
    providerConfigKey: 'zendesk',
    isSync: true,
    isScript: true,
    dryRun: true,
    activityLogId: 'log-42',
  }, { userAgent: 'my-app/1.2' })
  assert.equal(nango.serverUrl, emu.url)
  assert.equal(nango.host, emu.url)
  assert.equal(nango.connectionId, 'conn-1')
  assert.equal(nango.providerConfigKey, 'zendesk')
  assert.match(nango.userAgent, /; node\.js\/[\d.]+; my-app\/1\.2$/)

  await clearRecorded()
  // proxy() without ids, as the official SDK allows with constructor defaults.
  const res = await nango.get({ endpoint: '/echo/defaults' })
  assert.equal(res.status, 200)
  assert.equal(res.data.path, '/echo/defaults')
  // A connection-scoped method with its ids left out.
  const connection = await nango.getConnection()
  assert.equal(connection.connection_id, 'conn-1')

  const [proxied, fetched] = (await recorded()).filter((r) => !r.path.startsWith('/_'))
  assert.equal(proxied.headers['connection-id'], 'conn-1')
  assert.equal(proxied.headers['provider-config-key'], 'zendesk')
  assert.equal(proxied.headers['nango-activity-log-id'], 'log-42')
  for (const r of [proxied, fetched]) {
    assert.equal(r.headers['nango-is-sync'], 'true')
    assert.equal(r.headers['nango-is-script'], 'true')
    assert.equal(r.headers['nango-is-dry-run'], 'true')
    assert.match(r.headers['user-agent'], /; my-app\/1\.2$/)
  }
  assert.equal(fetched.path, '/connections/conn-1')
  // The activity log goes with proxy calls only, as in the official SDK.
  assert.equal(fetched.headers['nango-activity-log-id'], undefined)
})

test('without the options nothing extra is sent', async () => {
  const nango = new Nango({ secretKey: emu.secretKey, host: emu.url })
  assert.equal(nango.connectionId, '')
  await clearRecorded()
  await nango.getConnection('zendesk', 'conn-1')
  const [sent] = (await recorded()).filter((r) => !r.path.startsWith('/_'))
  for (const name of ['nango-is-sync', 'nango-is-script', 'nango-is-dry-run', 'nango-activity-log-id']) {
    assert.equal(sent.headers[name], undefined, name)
  }
  await assert.rejects(nango.proxy({ endpoint: '/echo/x' }), (err) => err instanceof NangoArgumentError && err.field === 'provider_config_key')
})

test('options that cannot be honoured warn once, naming what to use instead', async () => {
  const warnings = []
  const listen = (warning) => warnings.push(warning)
  process.on('warning', listen)
  try {
    for (let i = 0; i < 2; i++) {
      // eslint-disable-next-line no-new
      new Nango({ secretKey: emu.secretKey, host: emu.url }, { httpsAgent: {}, interceptors: { request: () => {} }, userAgent: 'x', maxRedirects: 3, proxy: undefined })
    }
    await new Promise((resolve) => setImmediate(resolve))
  } finally {
    process.off('warning', listen)
  }
  const ours = warnings.filter((w) => w.code === 'NANGO_RS_UNHONOURED_OPTION')
  assert.deepEqual(ours.map((w) => w.message.match(/`(\w+)`/)[1]).sort(), ['httpsAgent', 'interceptors', 'maxRedirects'])
  assert.match(ours.find((w) => w.message.includes('httpsAgent')).message, /HTTPS_PROXY.*caCertificates/)
})

test('HTTP errors are axios errors with axios codes, statusText and response', async () => {
  const nango = new Nango({ secretKey: emu.secretKey, host: emu.url, maxRetries: 0 })
  const err = await nango.getConnection('zendesk', 'nobody').then(() => null, (e) => e)
  assert.ok(err instanceof NangoNotFoundError && err instanceof NangoApiError && err instanceof NangoError)
  assert.equal(axios.isAxiosError(err), true)
  assert.equal(err.code, 'ERR_BAD_REQUEST')
  assert.ok(['unknown_connection', 'not_found'].includes(err.nangoCode), err.nangoCode)
  assert.equal(err.status, 404)
  assert.equal(err.statusText, 'Not Found')
  assert.equal(err.response.status, 404)
  assert.equal(err.response.statusText, 'Not Found')
  assert.equal(typeof err.response.data, 'object')
  assert.equal(typeof err.response.headers, 'object')

  // A 5xx, from the emulator's fault injection.
  await fetch(`${emu.url}/_emulator/faults`, {
    method: 'POST',
    headers: { authorization: `Bearer ${emu.secretKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ path: '/integrations', kind: 'status', status: 503 }),
  })
  const server = await nango.listIntegrations().then(() => null, (e) => e)
  assert.equal(axios.isAxiosError(server), true)
  assert.equal(server.code, 'ERR_BAD_RESPONSE')
  assert.equal(server.nangoCode, 'server_error')
  assert.equal(server.statusText, 'Service Unavailable')

  // A timeout: ECONNABORTED, axios' default code for one.
  await fetch(`${emu.url}/_emulator/faults`, {
    method: 'POST',
    headers: { authorization: `Bearer ${emu.secretKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ path: '/integrations', kind: 'delay', ms: 3000 }),
  })
  const quick = new Nango({ secretKey: emu.secretKey, host: emu.url, maxRetries: 0, timeoutMs: 200 })
  const timeout = await quick.listIntegrations().then(() => null, (e) => e)
  await fetch(`${emu.url}/_emulator/faults`, { method: 'DELETE', headers: { authorization: `Bearer ${emu.secretKey}` } })
  assert.equal(timeout.code, 'ECONNABORTED')
  assert.equal(timeout.nangoCode, 'timeout')
  assert.equal(axios.isAxiosError(timeout), true)
})

test('timeouts, aborts and network failures carry axios codes; argument errors are not axios errors', async () => {
  const nango = new Nango({ secretKey: emu.secretKey, host: emu.url, maxRetries: 0 })
  const aborted = new AbortController()
  aborted.abort()
  const cancel = await nango.listIntegrations({ signal: aborted.signal }).then(() => null, (e) => e)
  assert.equal(cancel.code, 'ERR_CANCELED')
  assert.equal(cancel.nangoCode, 'cancelled')
  assert.equal(axios.isAxiosError(cancel), true)

  const down = new Nango({ secretKey: emu.secretKey, host: 'http://127.0.0.1:9', maxRetries: 0 })
  const network = await down.listIntegrations().then(() => null, (e) => e)
  assert.equal(network.code, 'ERR_NETWORK')
  assert.equal(network.nangoCode, 'transport')
  assert.equal(axios.isAxiosError(network), true)

  const bad = await nango.getConnection('zendesk', 'conn-1', 'yes').then(() => null, (e) => e)
  assert.ok(bad instanceof NangoArgumentError)
  assert.equal(bad.code, 'invalid_argument')
  assert.equal(bad.nangoCode, 'invalid_argument')
  assert.equal(axios.isAxiosError(bad), false)
})

test('createConnectSession forwards body keys it does not know', async () => {
  const nango = new Nango({ secretKey: emu.secretKey, host: emu.url })
  await clearRecorded()
  // Whatever the server thinks of the keys (Nango's own validation is strict), they are sent.
  await nango.createConnectSession({
    end_user: { id: 'u1', future_user_key: 'x' },
    allowed_integrations: ['zendesk'],
    future_key: { nested: [1, 2] },
  }).catch((err) => assert.equal(err.nangoCode, 'validation'))
  const [sent] = (await recorded()).filter((r) => r.path === '/connect/sessions')
  const body = JSON.parse(sent.body)
  assert.deepEqual(body.future_key, { nested: [1, 2] })
  assert.equal(body.end_user.future_user_key, 'x')
})
