// The Node benchmark: 100,000 records of ~1 KB paged at limit 100 and 1000, and 2,000 sequential
// triggerAction calls, each with @nango-rs/node, the official @nangohq/node@0.71.10 and plain
// node:http + JSON.parse, against the same loopback emulator. Prints records/s, peak RSS,
// p50/p99 per call and the ratios. A benchmark, not a test: it asserts nothing.
//
// Run with release builds (`npm run bench` builds the release emulator; `npm run build:release`
// the binding). The server is the release emulator (BENCH_EMULATOR_BIN to override): a debug
// server would be the bottleneck of every client alike and hide the differences.
import { execFileSync } from 'node:child_process'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { loadavg, availableParallelism } from 'node:os'
import { startEmulator, zendeskConfig, repoRoot } from '../__test__/support/emulator.mjs'

const here = dirname(fileURLToPath(import.meta.url))
const RECORDS = Number(process.env.BENCH_RECORDS ?? 100_000)
const RECORD_SIZE = Number(process.env.BENCH_RECORD_SIZE ?? 1000)

const bin = process.env.BENCH_EMULATOR_BIN ?? join(repoRoot, 'target', 'x86_64-unknown-linux-gnu', 'release', 'nango-emulator')
const emu = await startEmulator(zendeskConfig({ seed: RECORDS, recordSize: RECORD_SIZE }), { bin })
console.log(`server: ${bin}`)
function measure(client, scenario, limit) {
  const out = execFileSync(process.execPath, [join(here, 'worker.mjs'), client, scenario, emu.url, emu.secretKey, String(limit ?? '')], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  })
  return JSON.parse(out.trim())
}

try {
  const check = measure('plain', 'records', 1000)
  if (check.count !== RECORDS) throw new Error(`expected ${RECORDS} records, the walk saw ${check.count}`)
  const clients = ['ours', 'ours-pages', 'official', 'plain', 'ceiling']
  const labels = {
    ours: '@nango-rs/node records()',
    'ours-pages': '@nango-rs/node listRecords loop',
    official: '@nangohq/node 0.71.10 listRecords loop',
    plain: 'node:http + JSON.parse',
    // Not the server's ceiling: node:http still concatenates the chunks and decodes UTF-8.
    ceiling: '(reference: node:http fetch + toString, body not parsed)',
  }
  // Rounds interleave the clients so that load from other processes on this shared machine hits
  // them alike; each client's best round is its least disturbed one.
  const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5)
  const rows = []
  for (const limit of [100, 1000]) {
    const runs = Object.fromEntries(clients.map((c) => [c, []]))
    for (let round = 0; round < ROUNDS; round++) {
      for (const client of clients) runs[client].push(measure(client, 'records', limit))
    }
    for (const client of clients) {
      const best = runs[client].reduce((a, b) => (b.recordsPerSecond > a.recordsPerSecond ? b : a))
      rows.push({ limit, client, ...best, maxRssMb: Math.max(...runs[client].map((r) => r.maxRssMb)) })
    }
  }
  // JSON text handed to V8 vs field by field across napi, on one real page of 1,000 records.
  const decode = JSON.parse(execFileSync(process.execPath, [join(here, 'decode.mjs'), emu.url, emu.secretKey], { encoding: 'utf8' }).trim())
  const actions = {}
  const actionRuns = { ours: [], official: [], plain: [] }
  for (let round = 0; round < 3; round++) {
    for (const client of Object.keys(actionRuns)) actionRuns[client].push(measure(client, 'actions'))
  }
  for (const [client, list] of Object.entries(actionRuns)) actions[client] = list.reduce((a, b) => (b.p50 < a.p50 ? b : a))
  const fmt = (n, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d })
  console.log(`\nRecords: ${fmt(RECORDS)} records of ~${RECORD_SIZE} B, one warm-up walk then one timed walk per process, best of ${ROUNDS} interleaved rounds`)
  // Read-ahead needs a second core: on a busy 2-core machine our ratios drop first. Say how busy it was.
  console.log(`load average (1/5/15 min) at the end: ${loadavg().map((x) => x.toFixed(2)).join(' / ')}, ${availableParallelism()} CPUs\n`)
  console.log('| limit | client | records/s | peak RSS (MB) |')
  console.log('|---:|---|---:|---:|')
  for (const r of rows) console.log(`| ${r.limit} | ${labels[r.client]} | ${fmt(r.recordsPerSecond)} | ${fmt(r.maxRssMb)} |`)
  console.log('\nRatios (records/s):\n')
  console.log('| limit | ours / official | ours / node:http | listRecords loop ours / official |')
  console.log('|---:|---:|---:|---:|')
  for (const limit of [100, 1000]) {
    const get = (c) => rows.find((r) => r.limit === limit && r.client === c).recordsPerSecond
    console.log(`| ${limit} | ${fmt(get('ours') / get('official'), 2)}× | ${fmt(get('ours') / get('plain'), 2)}× | ${fmt(get('ours-pages') / get('official'), 2)}× |`)
  }
  console.log(`\nDecoding one page of 1,000 records (${fmt(decode.bytes / 1024)} KiB), fastest of ${decode.runs} runs:\n`)
  console.log('| crossing | ms per page |')
  console.log('|---|---:|')
  console.log(`| records(): texts under 128 KiB → V8 JSON.parse, concat (chosen for walks; check and split run on the worker) | ${fmt(decode.chunksMs, 2)} |`)
  console.log(`| one JSON text → V8 JSON.parse (listRecords and the other methods) | ${fmt(decode.textMs, 2)} |`)
  console.log(`| serde in Rust → napi field by field | ${fmt(decode.fieldsMs, 2)} |`)
  console.log(`| (reference: JSON.parse of a string already in JS) | ${fmt(decode.jsMs, 2)} |`)
  console.log(`| (reference: Buffer → toString → JSON.parse in JS, as node:http does) | ${fmt(decode.jsFromBytesMs, 2)} |`)
  console.log(`\ntriggerAction: 2,000 sequential calls after 200 warm-up calls, best p50 of 3 interleaved rounds\n`)
  console.log('| client | p50 (ms) | p99 (ms) | peak RSS (MB) |')
  console.log('|---|---:|---:|---:|')
  for (const c of ['ours', 'official', 'plain']) {
    const a = actions[c]
    console.log(`| ${labels[c].replace(' records()', '').replace(' listRecords loop', '')} | ${fmt(a.p50, 3)} | ${fmt(a.p99, 3)} | ${fmt(a.maxRssMb)} |`)
  }
  console.log(`\np50 ours / official: ${fmt(actions.ours.p50 / actions.official.p50, 2)} (target ≤ 0.5); ours / node:http: ${fmt(actions.ours.p50 / actions.plain.p50, 2)}`)
} finally {
  await emu.stop()
}
