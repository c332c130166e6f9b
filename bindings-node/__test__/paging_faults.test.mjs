// Paging 10,000 records while the emulator injects 429s, 503s, dropped connections and truncated
// bodies: every record is seen exactly once, through the iterator and through listRecords.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { startEmulator, zendeskConfig } from './support/emulator.mjs'

const require = createRequire(import.meta.url)
const { Nango, NangoError } = require('../nango.js')

const TOTAL = 10_000
const CFG = { providerConfigKey: 'zendesk', connectionId: 'conn-1', model: 'Ticket' }
let emu
let nango

before(async () => {
  emu = await startEmulator(zendeskConfig({ seed: TOTAL, recordSize: 128 }))
  nango = new Nango({ secretKey: emu.secretKey, host: emu.url, maxRetries: 4 })
})
after(async () => emu?.stop())

const FAULTS = [
  { path: '/records', kind: 'status', status: 429, retry_after: 0, count: 1 },
  { path: '/records', kind: 'status', status: 503, count: 2 },
  { path: '/records', kind: 'drop', count: 1 },
  { path: '/records', kind: 'truncate', count: 1 },
  { path: '/records', kind: 'status', status: 502, count: 1 },
]

async function faultsFired(before) {
  const { requests_total: total } = await emu.admin('GET', '/counters')
  return total - before
}

test('records(): 10,000 records exactly once under 429/503/drop/truncate', async () => {
  const { requests_total: start } = await emu.admin('GET', '/counters')
  const seen = new Map()
  let n = 0
  const it = nango.records({ ...CFG, limit: 100 })
  for await (const record of it) {
    seen.set(record.id, (seen.get(record.id) ?? 0) + 1)
    n++
    // A new fault every 1,000 records, so they land in the middle of the walk (and on the
    // read-ahead request as often as on the awaited one).
    if (n % 1000 === 0) await emu.admin('POST', '/faults', FAULTS[(n / 1000) % FAULTS.length])
  }
  assert.equal(n, TOTAL)
  assert.equal(seen.size, TOTAL)
  assert.ok([...seen.values()].every((count) => count === 1))
  assert.equal(typeof it.checkpoint, 'string')
  // 100 pages plus the retried attempts: the faults really fired.
  assert.ok((await faultsFired(start)) > 100 + 9, 'faults were retried')
  await emu.admin('DELETE', '/faults')
})

test('listRecords loop at limit 1000 under faults', async () => {
  const seen = new Set()
  let cursor = null
  let pages = 0
  do {
    if (pages % 2 === 1) await emu.admin('POST', '/faults', FAULTS[pages % FAULTS.length])
    const page = await nango.listRecords({ ...CFG, limit: 1000, cursor })
    for (const r of page.records) {
      assert.ok(!seen.has(r.id), `duplicate ${r.id}`)
      seen.add(r.id)
    }
    cursor = page.next_cursor
    pages++
  } while (cursor)
  assert.equal(seen.size, TOTAL)
  await emu.admin('DELETE', '/faults')
})

test('an error that outlasts the retries surfaces, and the walk resumes without skipping', async () => {
  const client = new Nango({ secretKey: emu.secretKey, host: emu.url, maxRetries: 1 })
  const it = client.records({ ...CFG, limit: 500 })
  const seen = new Set()
  let failures = 0
  let n = 0
  for (;;) {
    let step
    try {
      step = await it.next()
    } catch (err) {
      assert.ok(err instanceof NangoError)
      assert.equal(err.code, 'server_error')
      failures++
      continue
    }
    if (step.done) break
    assert.ok(!seen.has(step.value.id))
    seen.add(step.value.id)
    if (++n === 2500) await emu.admin('POST', '/faults', { path: '/records', kind: 'status', status: 503, count: 6 })
  }
  assert.ok(failures >= 1, 'the burst outlasted one retry')
  assert.equal(seen.size, TOTAL)
  await emu.admin('DELETE', '/faults')
})

test('breaking out of the loop stops the walk; the checkpoint resumes after the last full page', async () => {
  const it = nango.records({ ...CFG, limit: 1000 })
  const first = []
  for await (const record of it) {
    first.push(record.id)
    if (first.length === 2500) break
  }
  // Pages 1 and 2 were fully consumed: the checkpoint is the end of page 2.
  const rest = []
  for await (const record of nango.records({ ...CFG, limit: 1000, cursor: it.checkpoint })) rest.push(record.id)
  assert.equal(rest.length, TOTAL - 2000)
  assert.deepEqual(new Set([...first.slice(0, 2000), ...rest]).size, TOTAL)
})
