// Drop-in check: one script written against the official API runs with the official
// @nangohq/node@0.71.10 and with ours against the same emulator. Per step, the requests the
// emulator received (method, path, query, the headers that matter, body) and the values
// returned must be equal.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { startEmulator, zendeskConfig } from './support/emulator.mjs'

const require = createRequire(import.meta.url)
const Official = require('@nangohq/node').Nango
const Ours = require('../nango.js').Nango

const PCK = 'zendesk'
const CONN = 'conn-1'
let emu

before(async () => {
  emu = await startEmulator(zendeskConfig({ seed: 30, connections: [CONN, 'conn-2'] }))
})
after(async () => emu?.stop())

// The script: what a user of the official SDK writes. Each step returns what the user sees.
const raw = (response) => ({ status: response.status, data: response.data, contentType: String(response.headers['content-type']) })
const STEPS = [
  ['listRecords', (n) => n.listRecords({ providerConfigKey: PCK, connectionId: CONN, model: 'Ticket', limit: 10 })],
  ['listRecords with options', (n) => n.listRecords({ providerConfigKey: PCK, connectionId: CONN, model: 'Ticket', limit: 5, filter: 'added', ids: ['1', '2', '3'] })],
  ['listRecords modifiedAfter', (n) => n.listRecords({ providerConfigKey: PCK, connectionId: CONN, model: 'Ticket', modifiedAfter: '2020-01-01T00:00:00.000Z' }).catch((e) => e)],
  ['listRecords paging', async (n) => {
    const ids = []
    let cursor = null
    do {
      const page = await n.listRecords({ providerConfigKey: PCK, connectionId: CONN, model: 'Ticket', limit: 7, cursor })
      ids.push(...page.records.map((r) => r.id))
      cursor = page.next_cursor
    } while (cursor)
    return ids
  }],
  ['triggerAction', (n) => n.triggerAction(PCK, CONN, 'echo', { name: 'x', list: [1, 2, 3], nested: { ok: true } })],
  ['triggerAction without input', (n) => n.triggerAction(PCK, CONN, 'echo')],
  ['triggerActionAsync', (n) => n.triggerActionAsync(PCK, CONN, 'echo', { later: 1 })],
  ['getConnection', (n) => n.getConnection(PCK, CONN)],
  ['getConnection refresh flags', (n) => n.getConnection(PCK, CONN, false, true)],
  ['getToken', (n) => n.getToken(PCK, CONN)],
  ['listConnections', (n) => n.listConnections()],
  ['listConnections filtered', (n) => n.listConnections({ connectionId: CONN, integrationId: PCK, limit: 5 })],
  ['setMetadata', async (n) => raw(await n.setMetadata(PCK, CONN, { plan: 'pro', seats: 3 }))],
  ['updateMetadata', async (n) => raw(await n.updateMetadata(PCK, [CONN], { seats: 4 }))],
  ['getMetadata', (n) => n.getMetadata(PCK, CONN)],
  ['patchConnection', (n) => n.patchConnection({ connectionId: CONN, provider_config_key: PCK }, { tags: { team: 'core' } })],
  ['createConnectSession', (n) => n.createConnectSession({ end_user: { id: 'u1', email: 'u1@example.com', display_name: 'U One' }, allowed_integrations: [PCK] })],
  ['createReconnectSession', (n) => n.createReconnectSession({ connection_id: CONN, integration_id: PCK })],
  ['triggerSync', async (n) => raw(await n.triggerSync(PCK, ['tickets'], CONN, { reset: false }))],
  ['pauseSync', async (n) => raw(await n.pauseSync(PCK, ['tickets'], CONN))],
  ['startSync', async (n) => raw(await n.startSync(PCK, ['tickets'], CONN))],
  ['syncStatus', (n) => n.syncStatus(PCK, ['tickets'], CONN)],
  ['syncStatus *', (n) => n.syncStatus(PCK, '*', CONN)],
  ['updateSyncConnectionFrequency', (n) => n.updateSyncConnectionFrequency(PCK, 'tickets', CONN, '1h')],
  ['proxy GET', async (n) => raw(await n.get({ endpoint: '/echo/a', providerConfigKey: PCK, connectionId: CONN, params: { q: 'x y' } }))],
  ['proxy POST', async (n) => raw(await n.proxy({ method: 'POST', endpoint: '/echo/b', providerConfigKey: PCK, connectionId: CONN, data: { k: 'v' } }))],
  ['listIntegrations', (n) => n.listIntegrations()],
  ['getIntegration', (n) => n.getIntegration({ uniqueKey: PCK })],
  ['unknown connection error', (n) => n.getConnection(PCK, 'missing')],
  ['validation error', (n) => n.listRecords({ providerConfigKey: PCK, connectionId: CONN, model: 'lowercase' })],
  ['unknown connection error (getToken)', (n) => n.getToken(PCK, 'missing')],
  ['unknown connection error (getMetadata)', (n) => n.getMetadata(PCK, 'missing')],
  ['unknown integration error', (n) => n.getIntegration({ uniqueKey: 'missing' })],
  ['proxy error status', (n) => n.get({ endpoint: '/status/418', providerConfigKey: PCK, connectionId: CONN })],
  ['deleteConnection', async (n, round) => raw(await n.deleteConnection(PCK, round === 0 ? 'del-a' : 'del-b'))],
]

// Fields that legitimately differ between two calls (fresh ids, tokens, clocks).
const VOLATILE = new Set(['token', 'connect_link', 'expires_at', 'id', 'statusUrl', 'updated_at', 'last_fetched_at'])
function normalise(value) {
  if (Array.isArray(value)) return value.map(normalise)
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, VOLATILE.has(k) && typeof v === 'string' ? '<volatile>' : normalise(v)]))
  }
  return value
}

// What the user sees of a failure, read the official way (axios' `err.response`), the same for
// both packages.
function failure(err) {
  return { failed: true, status: err.response?.status, data: err.response?.data }
}

const MATTERS = ['authorization', 'connection-id', 'provider-config-key', 'x-async']
function comparable(request) {
  const headers = Object.fromEntries(MATTERS.filter((h) => h in request.headers).map((h) => [h, request.headers[h]]))
  if (request.body) headers['content-type'] = request.headers['content-type']
  // Bodies are compared as bytes: core keeps the caller's key order (serde_json preserve_order),
  // so they match JSON.stringify's output exactly.
  return { method: request.method, path: request.path, query: request.query, headers, body: request.body }
}

async function run(Client, official, round, step) {
  await emu.admin('DELETE', '/requests')
  // Ours without read-ahead: its one extra GET of the next page is by design (readahead.test.mjs).
  const nango = new Client({ secretKey: emu.secretKey, host: emu.url, ...(official ? {} : { readAhead: false }) })
  let value
  try {
    value = await step(nango, round)
    if (value instanceof Error) value = failure(value)
  } catch (err) {
    value = failure(err)
  }
  const { requests } = await emu.admin('GET', '/requests')
  return { value: normalise(value), requests: requests.filter((r) => !r.path.startsWith('/_')).map(comparable) }
}

test('the official script gives the same requests and values with @nango-rs/node', async () => {
  await emu.admin('POST', '/connections', { provider_config_key: PCK, connection_id: 'del-a' })
  await emu.admin('POST', '/connections', { provider_config_key: PCK, connection_id: 'del-b' })
  for (const [name, step] of STEPS) {
    const theirs = await run(Official, true, 0, step)
    const ours = await run(Ours, false, 1, step)
    assert.ok(theirs.requests.length > 0, `${name}: the official SDK sent something`)
    if (name === 'deleteConnection') {
      // Different connections by design (deleting twice would fail the second time).
      ours.requests = ours.requests.map((r) => ({ ...r, path: r.path.replace('del-b', 'del-a') }))
    }
    if (process.env.DROPIN_DEBUG) console.log(name, JSON.stringify(theirs).slice(0, 400), JSON.stringify(ours).slice(0, 400))
    assert.deepEqual(ours.requests, theirs.requests, `${name}: requests differ`)
    assert.deepEqual(ours.value, theirs.value, `${name}: values differ`)
  }
})

test('err.response of a 404 and a 400 also carries the answer\'s headers, as axios\' does', async () => {
  const failures = [
    (n) => n.getConnection(PCK, 'missing'),
    (n) => n.listRecords({ providerConfigKey: PCK, connectionId: CONN, model: 'lowercase' }),
  ]
  for (const call of failures) {
    const errors = []
    for (const Client of [Official, Ours]) {
      const nango = new Client({ secretKey: emu.secretKey, host: emu.url })
      errors.push(await call(nango).then(() => assert.fail('expected a failure'), (err) => err))
    }
    const [theirs, ours] = errors
    assert.ok([400, 404].includes(ours.response.status))
    assert.equal(ours.response.status, theirs.response.status)
    assert.deepEqual(ours.response.data, theirs.response.data)
    assert.equal(ours.response.headers['content-type'], theirs.response.headers['content-type'])
    assert.equal(ours.status, ours.response.status)
  }
})
