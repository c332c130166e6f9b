// Compressed pages, big default pages and short pages, against the emulator:
// - records() walks a compressing emulator; its counters show the pages went out zstd-encoded
//   and several times smaller than the records they carried;
// - with no `limit`, records() asks for core's large page size and listRecords for none (the
//   server's default, as in the official SDK);
// - a byte budget per page makes the emulator answer fewer records than `limit` with a
//   next_cursor: every way of walking sees each record once, in order.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { startEmulator, zendeskConfig } from './support/emulator.mjs'

const require = createRequire(import.meta.url)
const { Nango } = require('../nango.js')

const TOTAL = 2_500
const CFG = { providerConfigKey: 'zendesk', connectionId: 'conn-1', model: 'Ticket' }
// Room for a few ~700-byte records a page.
const BUDGET = 3_000
let emu
let budgeted

before(async () => {
  emu = await startEmulator(zendeskConfig({ seed: TOTAL, recordSize: 512 }))
  budgeted = await startEmulator(
    zendeskConfig({ seed: 300, recordSize: 600, extra: { records_max_response_bytes: BUDGET } }),
  )
})
after(async () => {
  await emu?.stop()
  await budgeted?.stop()
})

const client = (server) => new Nango({ secretKey: server.secretKey, host: server.url, maxRetries: 0 })

/** The `limit` of each logged `GET /records/`, in order. */
async function recordsLimits(server) {
  const { requests } = await server.admin('GET', '/requests')
  return requests
    .filter((r) => r.path === '/records/')
    .map((r) => ({
      limit: new URLSearchParams(r.query ?? '').get('limit'),
      acceptEncoding: r.headers['accept-encoding'],
    }))
}

test('records() reads compressed pages of 1000 records when no limit is given', async () => {
  await emu.admin('DELETE', '/counters')
  await emu.admin('DELETE', '/requests')
  const seen = new Set()
  let jsonBytes = 0
  for await (const record of client(emu).records(CFG)) {
    assert.ok(!seen.has(record.id), `duplicate ${record.id}`)
    seen.add(record.id)
    jsonBytes += Buffer.byteLength(JSON.stringify(record))
  }
  assert.equal(seen.size, TOTAL)

  const sent = await recordsLimits(emu)
  assert.deepEqual(sent.map((r) => r.limit), ['1000', '1000', '1000'])
  for (const r of sent) assert.equal(r.acceptEncoding, 'gzip, br, zstd')
  const counters = await emu.admin('GET', '/counters')
  // Every page went out zstd-encoded (the emulator's choice among what we offered) ...
  assert.deepEqual(counters.response_encodings, { zstd: 3 })
  // ... and the bytes on the wire were a fraction of the records' JSON.
  assert.ok(
    counters.response_bytes * 4 < jsonBytes,
    `${counters.response_bytes} bytes sent for ${jsonBytes} bytes of records`,
  )
})

test('listRecords keeps the server default page size (a drop-in sends no limit)', async () => {
  await emu.admin('DELETE', '/requests')
  // Without read-ahead, so that the page asked for is the only GET (readahead.test.mjs).
  const page = await new Nango({ secretKey: emu.secretKey, host: emu.url, readAhead: false }).listRecords(CFG)
  assert.equal(page.records.length, 100)
  assert.equal(typeof page.next_cursor, 'string')
  assert.deepEqual(await recordsLimits(emu), [{ limit: null, acceptEncoding: 'gzip, br, zstd' }])
})

test('short pages with a next_cursor: records(), pages() and a listRecords loop each see every record once', async () => {
  const nango = client(budgeted)
  const expected = (await collectByListRecords(nango, 10_000)).ids
  assert.equal(expected.length, 300)
  assert.equal(new Set(expected).size, 300)

  // The budget, not the limit, cut these pages: a handful of records each, cursor set.
  const { pageSizes } = await collectByListRecords(nango, 100)
  assert.ok(pageSizes.length >= 300 / 5, `${pageSizes.length} pages`)
  assert.ok(pageSizes.slice(0, -1).every((n) => n > 0 && n < 100), `${pageSizes}`)

  const walked = []
  const it = nango.records(CFG)
  for await (const record of it) walked.push(record.id)
  assert.deepEqual(walked, expected)
  assert.equal(typeof it.checkpoint, 'string')

  const fromPages = []
  let pages = 0
  for await (const page of nango.records({ ...CFG, limit: 50 }).pages()) {
    assert.ok(page.length < 50, `a page of ${page.length}`)
    fromPages.push(...page.map((r) => r.id))
    pages++
  }
  assert.deepEqual(fromPages, expected)
  assert.equal(pages, pageSizes.length)
})

async function collectByListRecords(nango, limit) {
  const ids = []
  const pageSizes = []
  let cursor = null
  do {
    const page = await nango.listRecords({ ...CFG, limit, cursor })
    ids.push(...page.records.map((r) => r.id))
    pageSizes.push(page.records.length)
    cursor = page.next_cursor
  } while (cursor)
  return { ids, pageSizes }
}
