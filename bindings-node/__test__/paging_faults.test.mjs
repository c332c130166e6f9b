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
      assert.equal(err.nangoCode, 'server_error')
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

test('breaking out of the loop stops the walk; the checkpoint resumes after the last record seen', async () => {
  const it = nango.records({ ...CFG, limit: 1000 })
  const first = []
  for await (const record of it) {
    first.push(record.id)
    if (first.length === 2500) break
  }
  // The checkpoint is the 2,500th record's cursor: nothing seen comes again, nothing is skipped.
  const rest = []
  for await (const record of nango.records({ ...CFG, limit: 1000, cursor: it.checkpoint })) rest.push(record.id)
  assert.equal(rest.length, TOTAL - 2500)
  assert.deepEqual(new Set([...first, ...rest]).size, TOTAL)
})

// Overlapping calls on one iterator: each call gets the next record, in call order, never one
// lost or repeated, even when a call has to wait for a page while another would find records.
async function serialOrder() {
  const ids = []
  for await (const record of nango.records({ ...CFG, limit: 1000 })) ids.push(record.id)
  assert.equal(new Set(ids).size, TOTAL)
  return ids
}

test('records(): overlapping next() calls get successive records, in order', async () => {
  const expected = await serialOrder()
  const it = nango.records({ ...CFG, limit: 10 })
  const ids = []
  for (;;) {
    const batch = await Promise.all([it.next(), it.next(), it.next()])
    for (const { value, done } of batch) if (!done) ids.push(value.id)
    const ended = batch.findIndex((r) => r.done)
    if (ended !== -1) {
      // Once one call saw the end, every later call of the batch saw it too.
      assert.ok(batch.slice(ended).every((r) => r.done))
      break
    }
  }
  assert.deepEqual(ids, expected)
})

test('records(): two next() calls without awaiting are two records, not the end', async () => {
  const expected = await serialOrder()
  const it = nango.records({ ...CFG, limit: 7 })
  const first = it.next()
  const second = it.next()
  const [b, a] = [await second, await first]
  assert.deepEqual([a.value.id, b.value.id], expected.slice(0, 2))
})

test('records(): the checkpoint after overlapping calls never passes an unseen record', async () => {
  const expected = await serialOrder()
  const it = nango.records({ ...CFG, limit: 25 })
  const seen = []
  for (let i = 0; i < 9; i++) {
    for (const { value } of await Promise.all([it.next(), it.next(), it.next(), it.next()])) seen.push(value.id)
  }
  const checkpoint = it.checkpoint
  await it.return()
  const rest = []
  for await (const record of nango.records({ ...CFG, limit: 1000, cursor: checkpoint })) rest.push(record.id)
  // The checkpoint is the last record handed out: resuming neither repeats nor skips one.
  assert.deepEqual([...seen, ...rest], expected)
})

test('records(): pages() and next() calls overlapping on one iterator share the records', async () => {
  const expected = await serialOrder()
  const it = nango.records({ ...CFG, limit: 100 })
  const pages = it.pages()
  const ids = []
  for (;;) {
    const [page, one] = await Promise.all([pages.next(), it.next()])
    if (!page.done) ids.push(...page.value.map((r) => r.id))
    if (!one.done) ids.push(one.value.id)
    if (page.done && one.done) break
  }
  assert.deepEqual(ids, expected)
})

test('records(): aborting while a page hangs rejects with cancelled, never ends the walk as done', async () => {
  // The signal stops the read-ahead driver too, which closes its channel; the pending call used to
  // see that first about two times in three and resolve {done: true}, a silent short walk.
  for (let round = 0; round < 10; round++) {
    await emu.admin('POST', '/faults', { path: '/records', kind: 'delay', ms: 30_000, count: 1 })
    const controller = new AbortController()
    const pending = nango.records({ ...CFG, limit: 100 }, { signal: controller.signal }).next()
    while ((await emu.admin('GET', '/faults')).faults.length > 0) await new Promise((resolve) => setTimeout(resolve, 10))
    controller.abort()
    await assert.rejects(pending, (err) => err instanceof NangoError && err.nangoCode === 'cancelled', `round ${round}`)
  }
})
