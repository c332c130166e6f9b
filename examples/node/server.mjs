// A backend for a Nango integration with @nango-rs/node and node:http (no framework).
//
//   POST /session   → a connect session token for your frontend (the "Connect Zendesk" button)
//   POST /webhook   → Nango's signed webhook: verify it, then pull what changed
//   POST /tickets   → write back through the `create-ticket` action, then ask Nango to sync
//   GET  /tickets   → your copy of the synced tickets
//
// NANGO_SECRET_KEY, NANGO_WEBHOOK_SIGNING_KEY, NANGO_HOST (default Nango cloud), PORT (default 3000).
import { createServer } from 'node:http'
import { Nango } from '@nango-rs/node'

const INTEGRATION = 'zendesk'
const nango = new Nango({
  secretKey: process.env.NANGO_SECRET_KEY,
  host: process.env.NANGO_HOST || undefined,
  webhookSigningKey: process.env.NANGO_WEBHOOK_SIGNING_KEY,
})

// Your database, in memory here: the tickets, and where each connection × model stopped reading.
const tickets = new Map()
const checkpoints = new Map()

async function onWebhook(rawBody, headers) {
  // Verify on the raw bytes: a re-serialised JSON body would not match the signature.
  if (!nango.verifyIncomingWebhookRequest(rawBody, headers)) return 401
  const hook = nango.parseWebhook(rawBody, headers)
  console.log(`webhook verified: ${hook.type} ${hook.connectionId ?? ''}`)
  if (hook.type !== 'sync' || !hook.success) return 200

  const key = `${hook.connectionId}/${hook.model}`
  const saved = checkpoints.get(key)
  const walk = nango.records({
    providerConfigKey: hook.providerConfigKey,
    connectionId: hook.connectionId,
    model: hook.model,
    // First time: everything the sync changed; afterwards: only what is newer than our checkpoint.
    ...(saved ? { cursor: saved } : { modifiedAfter: hook.modifiedAfter }),
  })
  const ids = []
  for await (const record of walk) {
    if (record._nango_metadata.last_action === 'DELETED') tickets.delete(record.id)
    else tickets.set(record.id, record)
    ids.push(record.id)
  }
  if (walk.checkpoint) checkpoints.set(key, walk.checkpoint)
  console.log(`pulled ${ids.length} ${hook.model} for ${hook.connectionId} from ${saved ? 'checkpoint' : 'modifiedAfter'}: ${ids.join(',')}`)
  return 200
}

async function route(req, body) {
  const url = new URL(req.url, 'http://localhost')
  const route = `${req.method} ${url.pathname}`
  if (route === 'POST /webhook') return [await onWebhook(body, req.headers), { ok: true }]
  const input = body.length ? JSON.parse(body.toString('utf8')) : {}
  if (route === 'POST /session') {
    // In your app the end user is whoever is logged in.
    const session = await nango.createConnectSession({
      end_user: { id: input.userId ?? 'demo-user' },
      allowed_integrations: [INTEGRATION],
    })
    return [200, { token: session.data.token, host: process.env.NANGO_HOST ?? null }]
  }
  if (route === 'POST /tickets') {
    const ticket = await nango.triggerAction(INTEGRATION, input.connectionId, 'create-ticket', { title: input.title })
    // Nango syncs on its schedule; ask for a run now so the new ticket comes back by webhook soon.
    await nango.triggerSync(INTEGRATION, ['tickets'], input.connectionId)
    return [201, ticket]
  }
  if (route === 'GET /tickets') return [200, { tickets: [...tickets.values()] }]
  return [404, { error: 'not found' }]
}

const server = createServer((req, res) => {
  const chunks = []
  req.on('data', (chunk) => chunks.push(chunk))
  req.on('end', async () => {
    let status, payload
    try {
      ;[status, payload] = await route(req, Buffer.concat(chunks))
    } catch (err) {
      // A 5xx on /webhook makes Nango retry the delivery later.
      console.error(`${req.method} ${req.url} failed: ${err.nangoCode ?? err.code ?? ''} ${err.message}`)
      ;[status, payload] = [500, { error: err.nangoCode ?? err.code ?? 'internal' }]
    }
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(payload))
  })
})

server.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}`)
})
// Finish the requests in flight, then exit (the test stops us with SIGTERM).
process.on('SIGTERM', () => server.close(() => process.exit(0)))
