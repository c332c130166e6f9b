// Helpers for the webhook receiver tests: genuine deliveries from the emulator, replays, and a
// node:http server that hands Fetch-API handlers (Hono's app.fetch, a Next.js route) Web Requests.
import { createServer } from 'node:http'
import { createHmac } from 'node:crypto'
import { zendeskConfig, startEmulator } from './emulator.mjs'

/** An emulator whose webhooks retry fast and are sent for every sync run. */
export function startWebhookEmulator() {
  return startEmulator(
    zendeskConfig({ seed: 3, connections: ['conn-1'], extra: { webhooks: { retry_backoff_ms: [10, 20], always_send_sync: true } } }),
  )
}

export async function waitFor(predicate, what) {
  for (let i = 0; i < 400; i++) {
    const found = await predicate()
    if (found) return found
    await new Promise((r) => setTimeout(r, 25))
  }
  throw new Error(`timed out waiting for ${what}`)
}

/** Points the emulator's webhooks at `url`, runs the sync, waits until a delivery to `url` settles. */
export async function deliverSyncWebhook(emu, url) {
  await emu.admin('DELETE', '/webhooks')
  await emu.admin('PUT', '/webhook-url', { url })
  await emu.admin('POST', '/sync/run', { provider_config_key: 'zendesk', connection_id: 'conn-1' })
  return waitFor(async () => {
    const { deliveries } = await emu.admin('GET', '/webhooks')
    return deliveries.find((d) => d.url === url && (d.delivered || d.attempts.length >= 3))
  }, `a webhook delivery to ${url}`)
}

/** Listens on 127.0.0.1; `handle(req, res)` as node:http calls it. Returns `{ url, close }`. */
export async function listen(handle) {
  const server = createServer(handle)
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((resolve) => server.close(resolve)),
  }
}

/** A genuine webhook as the emulator sent it: `{ body: Buffer, headers }` (the signature headers and content type). */
export async function captureGenuineWebhook(emu) {
  const seen = []
  const server = await listen((req, res) => {
    const chunks = []
    req.on('data', (c) => chunks.push(c))
    req.on('end', () => {
      seen.push({ body: Buffer.concat(chunks), headers: req.headers })
      res.writeHead(200).end()
    })
  })
  try {
    await deliverSyncWebhook(emu, `${server.url}/capture`)
  } finally {
    await server.close()
  }
  const { body, headers } = seen[0]
  const keep = Object.fromEntries(
    Object.entries(headers).filter(([name]) => name === 'content-type' || name.startsWith('x-nango-')),
  )
  return { body, headers: keep }
}

/** The same body with one byte changed (a digit in the middle bumped), same length. */
export function oneByteChanged(body) {
  const changed = Buffer.from(body)
  const at = changed.length >> 1
  changed[at] = changed[at] === 0x30 ? 0x31 : 0x30
  return changed
}

/** A body that is not JSON, signed with the emulator's key: a well-signed non-webhook. */
export function signedNonJson(emu) {
  const body = Buffer.from('not json at all')
  const signature = createHmac('sha256', emu.signingKey).update(body).digest('hex')
  return { body, headers: { 'content-type': 'application/json', 'x-nango-hmac-sha256': signature } }
}

export async function post(url, { body, headers }) {
  const res = await fetch(url, { method: 'POST', body, headers })
  const text = await res.text()
  return { status: res.status, json: text ? JSON.parse(text) : null }
}

/** node:http → Web Request → `fetchHandler` → Web Response → node:http (what Next.js does). */
export function serveFetch(fetchHandler) {
  return listen(async (req, res) => {
    const chunks = []
    for await (const c of req) chunks.push(c)
    const headers = new Headers()
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value)
    }
    const request = new Request(`http://${req.headers.host}${req.url}`, {
      method: req.method,
      headers,
      body: req.method === 'GET' || req.method === 'HEAD' ? undefined : Buffer.concat(chunks),
    })
    const response = await fetchHandler(request)
    res.writeHead(response.status, Object.fromEntries(response.headers))
    res.end(Buffer.from(await response.arrayBuffer()))
  })
}
