// The example backend as a newcomer runs it (`node server.mjs`), against the emulator binary whose
// webhooks go to the backend: session, connection, verified webhook, pull, action, pull from the checkpoint.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { freePort, startBackend, startEmulator } from './processes.mjs'

const CONN = 'example-conn'
let emulator, backend

before(async () => {
  const port = await freePort()
  emulator = await startEmulator(`http://127.0.0.1:${port}/webhook`)
  backend = await startBackend(emulator, port)
})
after(async () => {
  await backend?.stop()
  await emulator?.stop()
})

test('session, connect, webhook, pull, create-ticket, pull from the checkpoint', { timeout: 60_000 }, async () => {
  // 1. The frontend asks the backend for a connect session token.
  const session = await backend.call('POST', '/session', { userId: 'user-42' })
  assert.equal(session.status, 200)
  assert.match(session.body.token, /^nango_connect_session_/)
  assert.equal(session.body.host, emulator.url)

  // The user connects (the browser example clicks through the popup; here the emulator's admin
  // shortcut creates the connection, runs the initial sync and sends both webhooks).
  await emulator.admin('POST', '/connections', { provider_config_key: 'zendesk', connection_id: CONN })

  // 2 + 3. The backend verifies the webhooks and pulls the 50 seeded tickets since `modifiedAfter`.
  await backend.waitForLine(new RegExp(`^webhook verified: auth ${CONN}$`))
  await backend.waitForLine(new RegExp(`^webhook verified: sync ${CONN}$`))
  const first = await backend.waitForLine(new RegExp(`^pulled \\d+ Ticket for ${CONN} from modifiedAfter`))
  assert.match(first, /^pulled 50 /)
  const stored = await backend.call('GET', '/tickets')
  assert.equal(stored.body.tickets.length, 50)

  // A forged webhook is refused.
  const forged = await fetch(`${backend.url}/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-nango-hmac-sha256': '00'.repeat(32) },
    body: JSON.stringify({ type: 'sync', connectionId: CONN }),
  })
  assert.equal(forged.status, 401)

  // 4. Write back; the backend triggers a sync and pulls only the new ticket from its checkpoint.
  const created = await backend.call('POST', '/tickets', { connectionId: CONN, title: 'Printer on fire' })
  assert.equal(created.status, 201)
  assert.equal(created.body.title, 'Printer on fire')
  const second = await backend.waitForLine(new RegExp(`^pulled \\d+ Ticket for ${CONN} from checkpoint`))
  assert.equal(second, `pulled 1 Ticket for ${CONN} from checkpoint: ${created.body.id}`)
  const after = await backend.call('GET', '/tickets')
  assert.equal(after.body.tickets.length, 51)
  assert.ok(after.body.tickets.some((t) => t.id === created.body.id && t.title === 'Printer on fire'))
})
