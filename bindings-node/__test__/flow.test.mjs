// The full seed flow against the emulator: connect session, connection, signed webhooks, the
// initial sync's records, an action that creates a record, provider changes (update, delete),
// incremental reads from the checkpoint, metadata, sync status, deletion.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import { createRequire } from 'node:module'
import { startEmulator, zendeskConfig } from './support/emulator.mjs'

const require = createRequire(import.meta.url)
const { Nango } = require('../nango.js')

const PCK = 'zendesk'
const CONN = 'flow-conn'
const SEED = 40
let emu
let receiver
const deliveries = []

before(async () => {
  receiver = createServer((req, res) => {
    const chunks = []
    req.on('data', (c) => chunks.push(c))
    req.on('end', () => {
      deliveries.push({ body: Buffer.concat(chunks).toString('utf8'), headers: req.headers })
      res.writeHead(200).end('ok')
    })
  })
  await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve))
  const webhookUrl = `http://127.0.0.1:${receiver.address().port}/webhooks`
  emu = await startEmulator(
    zendeskConfig({
      seed: SEED,
      connections: [],
      extra: { webhooks: { url: webhookUrl, retry_backoff_ms: [10, 20], always_send_sync: true, send_auth_creation: true } },
    }),
  )
})
after(async () => {
  await emu?.stop()
  await new Promise((resolve) => receiver.close(resolve))
})

async function waitFor(predicate, what) {
  for (let i = 0; i < 200; i++) {
    const found = predicate()
    if (found) return found
    await new Promise((r) => setTimeout(r, 25))
  }
  throw new Error(`timed out waiting for ${what}`)
}

test('the full flow', async () => {
  const nango = new Nango({ apiKey: emu.secretKey, host: emu.url, webhookSigningKey: emu.signingKey })

  const session = await nango.createConnectSession({ end_user: { id: 'user-1', email: 'user-1@example.com' }, allowed_integrations: [PCK] })
  assert.match(session.data.token, /^nango_connect_session_/)

  // The end user finishes the OAuth flow (the admin shortcut stands in for the browser here).
  await emu.admin('POST', '/connections', { provider_config_key: PCK, connection_id: CONN })

  // Signed webhooks arrive: auth (creation), then sync.
  const typed = () =>
    deliveries
      .filter((d) => nango.verifyIncomingWebhookRequest(d.body, d.headers))
      .map((d) => nango.parseWebhook(d.body, d.headers))
  const auth = await waitFor(() => typed().find((w) => w.type === 'auth'), 'the auth webhook')
  assert.equal(auth.connectionId, CONN)
  assert.equal(auth.operation, 'creation')
  assert.equal(auth.success, true)
  const firstSync = await waitFor(() => typed().find((w) => w.type === 'sync'), 'the first sync webhook')
  assert.equal(firstSync.model, 'Ticket')
  assert.equal(firstSync.responseResults.added, SEED)
  // A tampered body fails verification.
  assert.equal(nango.verifyIncomingWebhookRequest(deliveries[0].body + ' ', deliveries[0].headers), false)

  // Read everything the first sync stored, keeping the checkpoint.
  const walk = nango.records({ providerConfigKey: PCK, connectionId: CONN, model: 'Ticket', limit: 15 })
  const initial = []
  for await (const record of walk) initial.push(record)
  assert.equal(initial.length, SEED)
  assert.ok(initial.every((r) => r._nango_metadata.last_action === 'ADDED'))
  let checkpoint = walk.checkpoint

  // An action creates a ticket at the provider; the next sync reports it as added.
  const created = await nango.triggerAction(PCK, CONN, 'create-ticket', { title: 'From the flow test' })
  assert.equal(typeof created, 'object')
  const before = deliveries.length
  const triggered = await nango.triggerSync(PCK, ['tickets'], CONN)
  assert.equal(triggered.status, 200)
  await waitFor(() => typed().slice(before).find((w) => w.type === 'sync' && w.responseResults?.added === 1), 'the second sync webhook')
  const added = []
  const next = nango.records({ providerConfigKey: PCK, connectionId: CONN, model: 'Ticket', cursor: checkpoint })
  for await (const record of next) added.push(record)
  assert.equal(added.length, 1)
  assert.equal(added[0].title, 'From the flow test')
  assert.equal(added[0]._nango_metadata.last_action, 'ADDED')
  checkpoint = next.checkpoint

  // The provider changes two tickets and deletes one; the incremental read sees exactly that.
  await emu.admin('POST', '/provider/mutate', { integration: PCK, model: 'Ticket', update_ids: ['1', '2'], delete_ids: ['3'] })
  await emu.admin('POST', '/sync/run', { provider_config_key: PCK, connection_id: CONN })
  const changes = await nango.listRecords({ providerConfigKey: PCK, connectionId: CONN, model: 'Ticket', cursor: checkpoint })
  const byId = Object.fromEntries(changes.records.map((r) => [r.id, r._nango_metadata.last_action]))
  assert.deepEqual(byId, { 1: 'UPDATED', 2: 'UPDATED', 3: 'DELETED' })
  const deleted = await nango.listRecords({ providerConfigKey: PCK, connectionId: CONN, model: 'Ticket', filter: 'deleted' })
  assert.deepEqual(deleted.records.map((r) => r.id), ['3'])

  // Connection, token, metadata, status.
  const connection = await nango.getConnection(PCK, CONN)
  assert.equal(await nango.getToken(PCK, CONN), connection.credentials.access_token)
  await nango.setMetadata(PCK, CONN, { customer: 'acme' })
  assert.deepEqual(await nango.getMetadata(PCK, CONN), { customer: 'acme' })
  const status = await nango.syncStatus(PCK, '*', CONN)
  assert.equal(status.syncs.length, 1)
  assert.equal(status.syncs[0].name, 'tickets')

  // Done with this customer.
  const removed = await nango.deleteConnection(PCK, CONN)
  assert.deepEqual(removed.data, { success: true })
  const list = await nango.listConnections({ connectionId: CONN })
  assert.equal(list.connections.length, 0)
})
