// One benchmark measurement in its own process (so peak RSS is that client's alone).
// Usage: node worker.mjs <client> <scenario> <url> <secretKey> [limit | default]
//   client:   ours | ours-pages | official | plain | ceiling (fetch only: no JSON.parse)
//   scenario: records | actions
import { createRequire } from 'node:module'
import http from 'node:http'

const require = createRequire(import.meta.url)
const [client, scenario, url, secretKey, limitArg] = process.argv.slice(2)
// `default`: no limit given, so each client pages at its own default (ours or the server's).
const limit = limitArg === 'default' ? undefined : Number(limitArg ?? 1000)
const PCK = 'zendesk'
const CONN = 'conn-1'
const ACTION_CALLS = 2000

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
function plainRequest(method, path, headers, body, parse = true) {
  return new Promise((resolve, reject) => {
    const req = http.request(`${url}${path}`, { method, headers, agent }, (res) => {
      const chunks = []
      res.on('data', (c) => chunks.push(c))
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8')
        if (res.statusCode >= 300) reject(new Error(`HTTP ${res.statusCode}: ${text}`))
        else resolve(parse ? JSON.parse(text) : text)
      })
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(body)
  })
}

function makeClient() {
  if (client === 'ours' || client === 'ours-pages') return new (require('../nango.js').Nango)({ secretKey, host: url })
  if (client === 'official') return new (require('@nangohq/node').Nango)({ secretKey, host: url })
  return null
}

async function walkRecords(nango) {
  let count = 0
  let bytes = 0
  const touch = (record) => {
    count++
    bytes += record.id.length
  }
  if (client === 'ours') {
    for await (const record of nango.records({ providerConfigKey: PCK, connectionId: CONN, model: 'Ticket', limit })) touch(record)
  } else if (client === 'ours-pages' || client === 'official') {
    let cursor = null
    do {
      const page = await nango.listRecords({ providerConfigKey: PCK, connectionId: CONN, model: 'Ticket', limit, cursor })
      for (const record of page.records) touch(record)
      cursor = page.next_cursor
    } while (cursor)
  } else if (client === 'ceiling') {
    // How fast the server can hand out pages: the body is not parsed; the cursor is read from its
    // head with a regex (fine for a measurement, not for a client).
    let cursor = null
    const headers = { authorization: `Bearer ${secretKey}`, 'connection-id': CONN, 'provider-config-key': PCK }
    do {
      const query = new URLSearchParams({ model: 'Ticket', limit: String(limit) })
      if (cursor) query.set('cursor', cursor)
      const text = await plainRequest('GET', `/records/?${query}`, headers, undefined, false)
      count += (text.match(/"_nango_metadata"/g) ?? []).length
      cursor = /"next_cursor":"([^"]+)"/.exec(text)?.[1] ?? null
    } while (cursor)
  } else {
    let cursor = null
    const headers = { authorization: `Bearer ${secretKey}`, 'connection-id': CONN, 'provider-config-key': PCK }
    do {
      const query = new URLSearchParams({ model: 'Ticket', limit: String(limit) })
      if (cursor) query.set('cursor', cursor)
      const page = await plainRequest('GET', `/records/?${query}`, headers)
      for (const record of page.records) touch(record)
      cursor = page.next_cursor
    } while (cursor)
  }
  return { count, bytes }
}

async function action(nango, input) {
  if (nango) return nango.triggerAction(PCK, CONN, 'echo', input)
  const body = JSON.stringify({ action_name: 'echo', input })
  return plainRequest('POST', '/action/trigger', {
    authorization: `Bearer ${secretKey}`,
    'connection-id': CONN,
    'provider-config-key': PCK,
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
  }, body)
}

const nango = makeClient()
let result
if (scenario === 'records') {
  await walkRecords(nango) // warm-up walk: connections, JIT, server caches
  const start = process.hrtime.bigint()
  const { count } = await walkRecords(nango)
  const seconds = Number(process.hrtime.bigint() - start) / 1e9
  result = { count, seconds, recordsPerSecond: count / seconds }
} else {
  const input = { title: 'bench', n: 1 }
  for (let i = 0; i < 200; i++) await action(nango, input)
  const times = new Float64Array(ACTION_CALLS)
  for (let i = 0; i < ACTION_CALLS; i++) {
    const start = process.hrtime.bigint()
    await action(nango, input)
    times[i] = Number(process.hrtime.bigint() - start) / 1e6
  }
  times.sort()
  result = { calls: ACTION_CALLS, p50: times[Math.floor(ACTION_CALLS * 0.5)], p99: times[Math.floor(ACTION_CALLS * 0.99)] }
}
result.maxRssMb = process.resourceUsage().maxRSS / 1024
process.stdout.write(JSON.stringify(result) + '\n')
agent.destroy()
process.exit(0)
