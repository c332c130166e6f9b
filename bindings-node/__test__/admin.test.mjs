// Integration administration, provider templates, deployed functions, getRawTokenResponse and
// waitForConnection against the emulator on loopback: one success and one error each.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { startEmulator, zendeskConfig } from './support/emulator.mjs'

const require = createRequire(import.meta.url)
const { Nango, NangoError, NangoNotFoundError, NangoValidationError } = require('../nango.js')

let emu
let nango

before(async () => {
  emu = await startEmulator(zendeskConfig({ seed: 5 }))
  nango = new Nango({ secretKey: emu.secretKey, host: emu.url })
})
after(async () => emu?.stop())

// `POST /connections` (an import with credentials and an end user), sent without the SDK.
async function importConnection(connectionId, userId) {
  const res = await fetch(`${emu.url}/connections`, {
    method: 'POST',
    headers: { authorization: `Bearer ${emu.secretKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      provider_config_key: 'zendesk',
      connection_id: connectionId,
      credentials: { type: 'OAUTH2', access_token: `at-${connectionId}`, refresh_token: 'rt' },
      end_user: { id: userId },
    }),
  })
  assert.ok(res.ok, `import: ${res.status}`)
}

const APP = { type: 'OAUTH2', client_id: 'id', client_secret: 'secret', scopes: 'read' }

test('createIntegration creates, refuses a duplicate', async () => {
  const body = { provider: 'zendesk', unique_key: 'zd-created', display_name: 'Created', credentials: APP, forward_webhooks: false }
  const created = await nango.createIntegration(body)
  assert.equal(created.data.unique_key, 'zd-created')
  assert.equal(created.data.display_name, 'Created')
  assert.equal(created.data.forward_webhooks, false)
  const { configs } = await nango.listIntegrations()
  assert.ok(configs.some((c) => c.unique_key === 'zd-created'))
  await assert.rejects(nango.createIntegration(body), (err) => err instanceof NangoValidationError && err.status === 400)
})

test('createQuickstartIntegration creates, refuses an unknown provider', async () => {
  const created = await nango.createQuickstartIntegration({ provider: 'zendesk', unique_key: 'zd-quick' })
  assert.equal(created.data.unique_key, 'zd-quick')
  assert.equal(created.data.provider, 'zendesk')
  await assert.rejects(nango.createQuickstartIntegration({ provider: 'no-such-provider', unique_key: 'q2' }), (err) => err instanceof NangoError && err.status === 400)
})

test('updateIntegration changes and renames, an unknown key is not found', async () => {
  await nango.createIntegration({ provider: 'zendesk', unique_key: 'zd-update', credentials: APP })
  const updated = await nango.updateIntegration({ uniqueKey: 'zd-update' }, { display_name: 'Renamed', unique_key: 'zd-renamed' })
  assert.equal(updated.data.unique_key, 'zd-renamed')
  assert.equal(updated.data.display_name, 'Renamed')
  await assert.rejects(nango.updateIntegration({ uniqueKey: 'zd-update' }, { display_name: 'x' }), NangoNotFoundError)
})

test('deleteIntegration resolves with the whole response like the official SDK, then not found', async () => {
  await nango.createIntegration({ provider: 'zendesk', unique_key: 'zd-delete', credentials: APP })
  const res = await nango.deleteIntegration('zd-delete')
  assert.equal(res.status, 200)
  assert.deepEqual(res.data, { success: true })
  assert.equal(typeof res.headers, 'object')
  await assert.rejects(nango.deleteIntegration('zd-delete'), (err) => err instanceof NangoNotFoundError && err.nangoCode === 'not_found')
})

test('getProviderTemplates lists templates, an empty provider is refused before sending', async () => {
  const templates = await nango.getProviderTemplates({ provider: 'zendesk' })
  assert.ok(templates.data.length > 0)
  assert.ok(templates.data.every((t) => typeof t.name === 'string' && ['sync', 'action', 'on-event'].includes(t.type)))
  await assert.rejects(nango.getProviderTemplates({ provider: '' }), (err) => err.nangoCode === 'invalid_argument')
})

test('listFunctions filters, getFunction and getFunctionCode read one, with their errors', async () => {
  const all = await nango.listFunctions({ uniqueKey: 'zendesk' })
  assert.ok(all.data.some((f) => f.name === 'tickets' && f.type === 'sync'))
  assert.equal(all.pagination.total, all.data.length)
  const syncs = await nango.listFunctions({ uniqueKey: 'zendesk' }, { type: 'sync' })
  assert.ok(syncs.data.length > 0 && syncs.data.every((f) => f.type === 'sync'))
  await assert.rejects(nango.listFunctions({ uniqueKey: 'zendesk' }, { limit: 0 }), (err) => err instanceof NangoError && err.status === 400)

  const one = await nango.getFunction({ uniqueKey: 'zendesk', name: 'tickets' })
  assert.equal(one.data.name, 'tickets')
  assert.equal(one.data.type, 'sync')
  await assert.rejects(nango.getFunction({ uniqueKey: 'zendesk', name: 'tickets' }, { type: 'action' }), NangoNotFoundError)

  const code = await nango.getFunctionCode({ uniqueKey: 'zendesk', name: 'tickets' })
  assert.equal(code.type, 'sync')
  assert.equal(typeof code.code, 'string')
  await assert.rejects(nango.getFunctionCode({ uniqueKey: 'zendesk', name: 'no-such-function' }), NangoNotFoundError)
})

test('deleteFunction deletes a sync, needs a type', async () => {
  const deleted = await nango.deleteFunction({ uniqueKey: 'zendesk', name: 'echo' }, { type: 'action' })
  assert.deepEqual(deleted, { data: { success: true } })
  const left = await nango.listFunctions({ uniqueKey: 'zendesk' }, { type: 'action' })
  assert.ok(!left.data.some((f) => f.name === 'echo'))
  await assert.rejects(nango.deleteFunction({ uniqueKey: 'zendesk', name: 'fail' }, {}), (err) => err.nangoCode === 'invalid_argument')
})

test('getRawTokenResponse returns the stored provider answer, an unknown connection is not found', async () => {
  await importConnection('raw-1', 'user-raw')
  const raw = await nango.getRawTokenResponse('zendesk', 'raw-1')
  assert.equal(raw.access_token, 'at-raw-1')
  await assert.rejects(nango.getRawTokenResponse('zendesk', 'nope'), (err) => err instanceof NangoError && err.status === 404)
})

test('waitForConnection resolves with the end user\'s connection', async () => {
  await importConnection('waited-for', 'user-wait')
  const found = await nango.waitForConnection('zendesk', 'user-wait', { deadlineMs: 5000 })
  assert.equal(found.connection_id, 'waited-for')
  assert.equal(found.provider_config_key, 'zendesk')
})

test('waitForConnection: deadlineMs ends it with a timeout, an abort with cancelled, a bad deadline is refused', async () => {
  const started = Date.now()
  await assert.rejects(nango.waitForConnection('zendesk', 'nobody', { deadlineMs: 300 }), (err) => err instanceof NangoError && err.nangoCode === 'timeout')
  assert.ok(Date.now() - started < 5000, 'the deadline ended the wait')

  const controller = new AbortController()
  const waiting = nango.waitForConnection('zendesk', 'nobody', { signal: controller.signal })
  setTimeout(() => controller.abort(), 200)
  await assert.rejects(waiting, (err) => err instanceof NangoError && err.nangoCode === 'cancelled')
  assert.ok(Date.now() - started < 5000, 'the abort ended the wait')

  await assert.rejects(nango.waitForConnection('zendesk', 'u', { deadlineMs: 'soon' }), (err) => err.nangoCode === 'invalid_argument' && err.field === 'deadlineMs')
  await assert.rejects(nango.waitForConnection('zendesk', 'u', { deadlineMs: -1 }), (err) => err.nangoCode === 'invalid_argument')
  await assert.rejects(nango.waitForConnection('zendesk', ''), (err) => err.nangoCode === 'invalid_argument')
})
