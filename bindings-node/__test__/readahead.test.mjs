// listRecords reads the next page ahead (core's ListRecordsReadAhead), against the emulator:
// - a drop-in loop sends one GET a page, and each page is the one a client without read-ahead
//   gets for the same call at the moment the page was fetched;
// - a record changed after its page was read ahead comes again, changed, later in the walk;
// - a call with another model, connection, filter or limit never gets the page read ahead;
// - a caller that stops after one page costs one extra GET; `readAhead: false` costs none.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { startEmulator, zendeskConfig } from './support/emulator.mjs'

const require = createRequire(import.meta.url)
const { Nango } = require('../nango.js')

const TOTAL = 250
const CFG = { providerConfigKey: 'zendesk', connectionId: 'conn-1', model: 'Ticket', limit: 100 }
let emu

before(async () => {
  emu = await startEmulator(zendeskConfig({ seed: TOTAL, connections: ['conn-1', 'conn-2'] }))
})
after(async () => {
  await emu?.stop()
})

const client = (readAhead) => new Nango({ secretKey: emu.secretKey, host: emu.url, maxRetries: 0, readAhead })
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

/** The cursor of each logged `GET /records/` since the last reset, in order (null: none). */
async function recordsGets() {
  const { requests } = await emu.admin('GET', '/requests')
  return requests.filter((r) => r.path === '/records/').map((r) => new URLSearchParams(r.query ?? '').get('cursor'))
}

async function waitForGets(n) {
  for (let i = 0; i < 200; i++) {
    if ((await recordsGets()).length >= n) return
    await sleep(10)
  }
  assert.fail(`expected ${n} GETs, saw ${(await recordsGets()).length}`)
}

test('a drop-in loop sends one GET a page, each read ahead once', async () => {
  await emu.admin('DELETE', '/requests')
  const nango = client(undefined)
  const oracle = client(false)
  const ids = []
  let cursor = null
  let pages = 0
  do {
    const page = await nango.listRecords({ ...CFG, cursor })
    pages++
    ids.push(...page.records.map((r) => r.id))
    cursor = page.next_cursor
  } while (cursor)
  await sleep(200)
  const gets = await recordsGets()
  assert.equal(pages, 3)
  assert.equal(gets.length, 3, `GETs: ${JSON.stringify(gets)}`)
  assert.equal(new Set(gets).size, 3, 'no page asked for twice')
  assert.equal(new Set(ids).size, TOTAL)
  // The same records as a client without read-ahead.
  const theirs = []
  cursor = null
  do {
    const page = await oracle.listRecords({ ...CFG, cursor })
    theirs.push(...page.records.map((r) => r.id))
    cursor = page.next_cursor
  } while (cursor)
  assert.deepEqual(ids, theirs)
})

test('a page is as it was when read ahead; a later change comes again later in the walk', async () => {
  const nango = client(true)
  const oracle = client(false)
  await emu.admin('DELETE', '/requests')
  const first = await nango.listRecords(CFG)
  await waitForGets(2)
  // What a sequential caller asking at that moment got.
  const asFetched = await oracle.listRecords({ ...CFG, cursor: first.next_cursor })
  const changed = asFetched.records.slice(0, 2).map((r) => r.id)
  await emu.admin('POST', '/provider/mutate', { integration: 'zendesk', model: 'Ticket', update_ids: changed })
  await emu.admin('POST', '/sync/run', { provider_config_key: 'zendesk', connection_id: 'conn-1' })
  const now = await oracle.listRecords({ ...CFG, cursor: first.next_cursor })
  assert.notDeepEqual(now.records.map((r) => r.id), asFetched.records.map((r) => r.id), 'the change moved them')

  const second = await nango.listRecords({ ...CFG, cursor: first.next_cursor })
  assert.deepEqual(second, asFetched)
  // The rest of the walk brings the changed records, as the server has them now.
  const latest = new Map()
  let cursor = second.next_cursor
  while (cursor) {
    const page = await nango.listRecords({ ...CFG, cursor })
    for (const r of page.records) latest.set(r.id, r)
    cursor = page.next_cursor
  }
  for (const id of changed) {
    assert.equal(latest.get(id)?._nango_metadata.last_action, 'UPDATED', id)
  }
})

test('a call with other parameters never gets the page read ahead', async () => {
  const changes = {
    model: { model: 'Missing' },
    connection: { connectionId: 'conn-2' },
    filter: { filter: 'added' },
    limit: { limit: 10 },
    cursor: {},
  }
  for (const [what, change] of Object.entries(changes)) {
    const nango = client(true)
    await emu.admin('DELETE', '/requests')
    const first = await nango.listRecords(CFG)
    await waitForGets(2)
    const other = { ...CFG, cursor: what === 'cursor' ? first.records[50]._nango_metadata.cursor : first.next_cursor, ...change }
    const ours = await nango.listRecords(other).catch((err) => ({ failed: err.status }))
    const gets = await recordsGets()
    assert.equal(gets[2], other.cursor, `${what}: its own GET`)
    const theirs = await client(false).listRecords(other).catch((err) => ({ failed: err.status }))
    assert.deepEqual(ours, theirs, what)
    await sleep(50)
  }
})

test('stopping after one page costs one extra GET; readAhead: false costs none', async () => {
  await emu.admin('DELETE', '/requests')
  await client(true).listRecords(CFG)
  await sleep(300)
  assert.equal((await recordsGets()).length, 2)

  await emu.admin('DELETE', '/requests')
  const off = client(false)
  let cursor = null
  do {
    const page = await off.listRecords({ ...CFG, cursor })
    await sleep(30)
    cursor = page.next_cursor
  } while (cursor)
  await sleep(200)
  assert.equal((await recordsGets()).length, 3)
})

test('maxInFlight and readAhead are checked by core', () => {
  for (const bad of [0, -1, 1.5, 10_001]) {
    assert.throws(() => new Nango({ secretKey: 'k', maxInFlight: bad }), (err) => err.code === 'invalid_argument' && err.field === 'max_in_flight')
  }
  new Nango({ secretKey: 'k', maxInFlight: 1, readAhead: false })
})
