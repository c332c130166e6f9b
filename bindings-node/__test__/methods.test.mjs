// Every method of the official surface, against the emulator on loopback: what the emulator
// received and what the method resolved with.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { startEmulator, zendeskConfig } from './support/emulator.mjs'

const require = createRequire(import.meta.url)
const { Nango, NangoError, NangoNotFoundError, NangoValidationError } = require('../nango.js')

const PCK = 'zendesk'
const CONN = 'conn-1'
let emu
let nango

before(async () => {
  emu = await startEmulator(zendeskConfig({ seed: 25, connections: [CONN, 'conn-2'] }))
  nango = new Nango({ secretKey: emu.secretKey, host: emu.url })
})
after(async () => emu?.stop())

// `method` skips other requests, such as listRecords' read-ahead GET, which may reach the
// server after the call under test.
async function lastRequest(method) {
  const { requests } = await emu.admin('GET', '/requests')
  const own = requests.filter((r) => !r.path.startsWith('/_emulator') && (!method || r.method === method))
  return own[own.length - 1]
}

test('listRecords returns the page as the server sent it, and pages with cursor', async () => {
  const first = await nango.listRecords({ providerConfigKey: PCK, connectionId: CONN, model: 'Ticket', limit: 10 })
  assert.equal(first.records.length, 10)
  assert.equal(typeof first.next_cursor, 'string')
  const seen = new Set(first.records.map((r) => r.id))
  let cursor = first.next_cursor
  while (cursor) {
    const page = await nango.listRecords({ providerConfigKey: PCK, connectionId: CONN, model: 'Ticket', limit: 10, cursor })
    for (const r of page.records) {
      assert.ok(!seen.has(r.id), `record ${r.id} seen twice`)
      seen.add(r.id)
    }
    cursor = page.next_cursor
  }
  assert.equal(seen.size, 25)
  const req = await lastRequest()
  assert.equal(req.method, 'GET')
  assert.equal(req.path, '/records/')
  assert.match(req.query, /^model=Ticket&limit=10&cursor=/)
  assert.equal(req.headers['connection-id'], CONN)
  assert.equal(req.headers['provider-config-key'], PCK)
})

test('listRecords with modifiedAfter, filter and ids', async () => {
  const all = await nango.listRecords({ providerConfigKey: PCK, connectionId: CONN, model: 'Ticket', ids: ['3', '5'] })
  assert.deepEqual(all.records.map((r) => r.id).sort(), ['3', '5'])
  const added = await nango.listRecords({
    providerConfigKey: PCK,
    connectionId: CONN,
    model: 'Ticket',
    modifiedAfter: new Date(Date.now() - 3_600_000).toISOString(),
    filter: 'added',
  })
  assert.equal(added.records.length, 25)
  assert.ok(added.records.every((r) => r._nango_metadata.last_action === 'ADDED'))
})

test('records() walks every record once and exposes the checkpoint', async () => {
  const it = nango.records({ providerConfigKey: PCK, connectionId: CONN, model: 'Ticket', limit: 7 })
  const ids = []
  for await (const record of it) ids.push(record.id)
  assert.equal(ids.length, 25)
  assert.equal(new Set(ids).size, 25)
  assert.equal(typeof it.checkpoint, 'string')
  // Resuming from the checkpoint yields nothing new.
  const rest = []
  for await (const record of nango.records({ providerConfigKey: PCK, connectionId: CONN, model: 'Ticket', cursor: it.checkpoint })) {
    rest.push(record)
  }
  assert.equal(rest.length, 0)
})

test('pruneRecords', async () => {
  const page = await nango.listRecords({ providerConfigKey: PCK, connectionId: 'conn-2', model: 'Ticket', limit: 3 })
  const untilCursor = page.records[2]._nango_metadata.cursor
  const result = await nango.pruneRecords({ providerConfigKey: PCK, connectionId: 'conn-2', model: 'Ticket', untilCursor })
  assert.equal(typeof result.count, 'number')
  assert.equal(typeof result.has_more, 'boolean')
  const req = await lastRequest('PATCH')
  assert.equal(req.method, 'PATCH')
  assert.equal(req.path, '/records/prune')
  assert.deepEqual(JSON.parse(req.body), { model: 'Ticket', until_cursor: untilCursor })
})

test('triggerAction, triggerActionAsync, getAsyncActionResult', async () => {
  const output = await nango.triggerAction(PCK, CONN, 'echo', { hello: 'world', n: [1, 2] })
  assert.deepEqual(output, { hello: 'world', n: [1, 2] })
  const req = await lastRequest()
  assert.equal(req.method, 'POST')
  assert.equal(req.path, '/action/trigger')
  assert.deepEqual(JSON.parse(req.body), { action_name: 'echo', input: { hello: 'world', n: [1, 2] } })

  const handle = await nango.triggerActionAsync(PCK, CONN, 'echo', { later: true })
  assert.equal(typeof handle.id, 'string')
  assert.equal(typeof handle.statusUrl, 'string')
  assert.equal((await lastRequest()).headers['x-async'], 'true')
  let result
  for (let i = 0; i < 100; i++) {
    try {
      result = await nango.getAsyncActionResult({ id: handle.id })
      break
    } catch (err) {
      if (!(err instanceof NangoError)) throw err
      await new Promise((r) => setTimeout(r, 20))
    }
  }
  assert.deepEqual(result, { later: true })
  assert.deepEqual(await nango.getAsyncActionResult({ statusUrl: handle.statusUrl }), { later: true })

  await assert.rejects(nango.triggerAction(PCK, CONN, 'fail', {}), (err) => err instanceof NangoError && err.status >= 400)
})

test('getConnection, listConnections, getToken', async () => {
  const connection = await nango.getConnection(PCK, CONN)
  assert.equal(connection.connection_id, CONN)
  assert.equal(connection.provider_config_key, PCK)
  assert.equal(connection.credentials.type, 'OAUTH2')
  const req = await lastRequest()
  assert.equal(req.path, `/connections/${CONN}`)
  // The emulator's log redacts values named like secrets (refresh_token), so that one is a pattern.
  assert.match(req.query, /^provider_config_key=zendesk&force_refresh=false&refresh_token=(false|\[redacted:[0-9a-f]+\])&refresh_github_app_jwt_token=false$/)

  const token = await nango.getToken(PCK, CONN)
  assert.equal(token, connection.credentials.access_token)

  const list = await nango.listConnections()
  assert.deepEqual(list.connections.map((c) => c.connection_id).sort(), [CONN, 'conn-2'])
  const one = await nango.listConnections({ connectionId: CONN })
  assert.deepEqual(one.connections.map((c) => c.connection_id), [CONN])
  const legacy = await nango.listConnections(CONN)
  assert.deepEqual(legacy.connections.map((c) => c.connection_id), [CONN])
  assert.equal((await lastRequest()).query, `connectionId=${CONN}`)

  await assert.rejects(nango.getConnection(PCK, 'nope'), NangoNotFoundError)
})

test('setMetadata, updateMetadata, getMetadata (axios-like results)', async () => {
  const set = await nango.setMetadata(PCK, CONN, { plan: 'pro', seats: 3 })
  assert.equal(set.status, 201)
  assert.equal(set.statusText, 'Created')
  assert.equal(typeof set.headers, 'object')
  assert.deepEqual(await nango.getMetadata(PCK, CONN), { plan: 'pro', seats: 3 })
  const updated = await nango.updateMetadata(PCK, [CONN], { seats: 5 })
  assert.equal(updated.status, 200)
  assert.deepEqual(await nango.getMetadata(PCK, CONN), { plan: 'pro', seats: 5 })
  const req = await lastRequest()
  assert.equal(req.path, `/connections/${CONN}`)
})

test('patchConnection and deleteConnection', async () => {
  await emu.admin('POST', '/connections', { provider_config_key: PCK, connection_id: 'to-delete' })
  const patched = await nango.patchConnection({ connectionId: 'to-delete', provider_config_key: PCK }, { tags: { team: 'a' } })
  assert.equal(typeof patched, 'object')
  const req = await lastRequest()
  assert.equal(req.method, 'PATCH')
  assert.equal(req.path, '/connections/to-delete')
  assert.deepEqual(JSON.parse(req.body), { tags: { team: 'a' } })
  const deleted = await nango.deleteConnection(PCK, 'to-delete')
  assert.equal(deleted.status, 200)
  assert.deepEqual(deleted.data, { success: true })
  await assert.rejects(nango.deleteConnection(PCK, 'to-delete'), (err) => err.nangoCode === 'unknown_connection')
})

test('createConnectSession and createReconnectSession', async () => {
  const session = await nango.createConnectSession({ end_user: { id: 'u1', email: 'u1@example.com' }, allowed_integrations: [PCK] })
  assert.match(session.data.token, /^nango_connect_session_[0-9a-f]{64}$/)
  assert.equal(typeof session.data.expires_at, 'string')
  const reconnect = await nango.createReconnectSession({ connection_id: CONN, integration_id: PCK })
  assert.match(reconnect.data.token, /^nango_connect_session_/)
  await assert.rejects(
    nango.createConnectSession({ end_user: { id: 'u1' }, allowed_integrations: ['no-such-integration'] }),
    NangoValidationError,
  )
})

test('triggerSync, startSync, pauseSync, syncStatus, updateSyncConnectionFrequency', async () => {
  const triggered = await nango.triggerSync(PCK, ['tickets'], CONN, { reset: false })
  assert.equal(triggered.status, 200)
  assert.deepEqual(JSON.parse((await lastRequest()).body), {
    syncs: ['tickets'],
    provider_config_key: PCK,
    connection_id: CONN,
    opts: { reset: false },
  })
  assert.equal((await nango.pauseSync(PCK, ['tickets'], CONN)).status, 200)
  let status = await nango.syncStatus(PCK, ['tickets'], CONN)
  assert.equal(status.syncs[0].name, 'tickets')
  assert.equal(status.syncs[0].status, 'PAUSED')
  assert.equal((await nango.startSync(PCK, ['tickets'], CONN)).status, 200)
  status = await nango.syncStatus(PCK, '*', CONN)
  assert.notEqual(status.syncs[0].status, 'PAUSED')
  const frequency = await nango.updateSyncConnectionFrequency(PCK, 'tickets', CONN, '1h')
  assert.equal(typeof frequency, 'object')
  assert.deepEqual(JSON.parse((await lastRequest()).body), {
    sync_name: 'tickets',
    provider_config_key: PCK,
    connection_id: CONN,
    frequency: '1h',
  })
})

test('proxy and its shorthands pass status, headers and body through', async () => {
  const res = await nango.proxy({
    method: 'POST',
    endpoint: '/echo/x',
    providerConfigKey: PCK,
    connectionId: CONN,
    headers: { 'X-Custom': 'yes' },
    params: { q: 'a b' },
    data: { hello: 1 },
  })
  assert.equal(res.status, 200)
  assert.equal(res.statusText, 'OK')
  assert.equal(res.headers['x-demo-provider'], 'echo')
  assert.equal(res.data.method, 'POST')
  assert.equal(res.data.path, '/echo/x')
  assert.equal(res.data.headers['x-custom'], 'yes')
  assert.deepEqual(JSON.parse(res.data.body), { hello: 1 })
  const viaGet = await nango.get({ endpoint: '/echo/y', providerConfigKey: PCK, connectionId: CONN })
  assert.equal(viaGet.data.method, 'GET')
  for (const verb of ['post', 'put', 'patch', 'delete']) {
    const r = await nango[verb]({ endpoint: '/echo/z', providerConfigKey: PCK, connectionId: CONN, data: 'text body' })
    assert.equal(r.data.method, verb.toUpperCase())
  }
  const binary = await nango.post({ endpoint: '/echo/bin', providerConfigKey: PCK, connectionId: CONN, data: Buffer.from('bytes!') })
  assert.equal(binary.data.body, 'bytes!')
  await assert.rejects(nango.get({ endpoint: '/status/404', providerConfigKey: PCK, connectionId: CONN }), (err) => err.status === 404)
  // Binary-safe with responseType 'arraybuffer': every byte value survives.
  const bytes = await nango.get({ endpoint: '/binary', providerConfigKey: PCK, connectionId: CONN, responseType: 'arraybuffer' })
  assert.ok(Buffer.isBuffer(bytes.data))
  assert.deepEqual([...bytes.data], Array.from({ length: 256 }, (_, i) => i))
  assert.equal(bytes.headers['content-type'], 'application/octet-stream')
  const text = await nango.post({ endpoint: '/echo/t', providerConfigKey: PCK, connectionId: CONN, data: { a: 1 }, responseType: 'text' })
  assert.equal(typeof text.data, 'string')
  assert.equal(JSON.parse(text.data).method, 'POST')
})

test('listIntegrations, getIntegration, providers, environment variables, scripts config', async () => {
  const integrations = await nango.listIntegrations()
  assert.ok(Array.isArray(integrations.configs))
  assert.equal(integrations.configs[0].unique_key, PCK)
  const one = await nango.getIntegration({ uniqueKey: PCK })
  assert.equal(one.data.unique_key, PCK)
  await assert.rejects(nango.getIntegration({ uniqueKey: 'nope' }), (err) => err.nangoCode === 'unknown_integration' || err.nangoCode === 'not_found')
  const providers = await nango.listProviders({})
  assert.ok(Array.isArray(providers.data))
  await nango.getProvider({ provider: 'zendesk' }).catch((err) => assert.ok(err instanceof NangoError))
  await nango.getEnvironmentVariables().catch((err) => assert.ok(err instanceof NangoError))
  await nango.getScriptsConfig().catch((err) => assert.ok(err instanceof NangoError))
})

test('createSyncVariant and deleteSyncVariant reach the server', async () => {
  await nango
    .createSyncVariant({ provider_config_key: PCK, connection_id: CONN, name: 'tickets', variant: 'v2' })
    .catch((err) => assert.ok(err instanceof NangoError))
  const req = await lastRequest()
  assert.equal(req.method, 'POST')
  assert.equal(req.path, '/sync/tickets/variant/v2')
  await nango
    .deleteSyncVariant({ provider_config_key: PCK, connection_id: CONN, name: 'tickets', variant: 'v2' })
    .catch((err) => assert.ok(err instanceof NangoError))
  assert.equal((await lastRequest()).method, 'DELETE')
})
