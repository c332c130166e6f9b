// `make bench-wan`: record walks over a shaped link, every client against the same emulator in
// one run. scripts/bench-wan.sh runs this inside a private network namespace whose loopback is
// rate-limited with `tc … tbf` (200 Mbit/s); the server adds the latency (a delay rule on
// `GET /records`; this kernel has no `netem`). Compression is on, as on real API servers, and
// every client offers it. Rows: Node (ours records(), ours listRecords loop, @nangohq/node),
// Python (ours records(), ours list_records loop, httpx+orjson) and Rust (the crate's records(),
// a reqwest + serde_json loop), at limit 1000, limit 100 and with no limit (each client's
// default). Rounds interleave the clients; each row is its best round. A benchmark: it asserts
// only that every walk saw every record.
import { execFileSync } from 'node:child_process'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { loadavg, availableParallelism } from 'node:os'
import { startEmulator, zendeskConfig, repoRoot } from '../__test__/support/emulator.mjs'

const here = dirname(fileURLToPath(import.meta.url))
const RECORDS = Number(process.env.BENCH_RECORDS ?? 20_000)
const RECORD_SIZE = Number(process.env.BENCH_RECORD_SIZE ?? 1000)
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 20)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
const targetDir = process.env.CARGO_TARGET_DIR ?? join(repoRoot, 'target')
const release = join(targetDir, 'x86_64-unknown-linux-gnu', 'release')
const bin = process.env.BENCH_EMULATOR_BIN ?? join(release, 'nango-emulator')
const python = process.env.BENCH_PYTHON ?? join(repoRoot, '.venv', 'bin', 'python')

const emu = await startEmulator(zendeskConfig({ seed: RECORDS, recordSize: RECORD_SIZE }), { bin })
// The server-side latency of every records page (count: practically unlimited).
await emu.admin('POST', '/faults', [{ path: '/records', kind: 'delay', ms: LATENCY_MS, count: 4_000_000_000 }])

const CLIENTS = {
  'node: @nango-rs/node records()': (limit) => ['node', [join(here, 'worker.mjs'), 'ours', 'records', emu.url, emu.secretKey, limit]],
  'node: @nango-rs/node listRecords loop': (limit) => ['node', [join(here, 'worker.mjs'), 'ours-pages', 'records', emu.url, emu.secretKey, limit]],
  'node: @nangohq/node 0.71.10 listRecords loop': (limit) => ['node', [join(here, 'worker.mjs'), 'official', 'records', emu.url, emu.secretKey, limit]],
  'python: nango-rs records()': (limit) => [python, [join(repoRoot, 'bindings-python', 'bench', 'wan_worker.py'), 'records', emu.url, emu.secretKey, limit]],
  'python: nango-rs list_records loop': (limit) => [python, [join(repoRoot, 'bindings-python', 'bench', 'wan_worker.py'), 'list_records', emu.url, emu.secretKey, limit]],
  'python: httpx + orjson loop': (limit) => [python, [join(repoRoot, 'bindings-python', 'bench', 'wan_worker.py'), 'httpx+orjson', emu.url, emu.secretKey, limit]],
  'rust: nango records()': (limit) => [join(release, 'examples', 'walk_worker'), ['crate', emu.url, emu.secretKey, limit]],
  'rust: reqwest + serde_json loop': (limit) => [join(release, 'examples', 'walk_worker'), ['reqwest', emu.url, emu.secretKey, limit]],
}
// The peer each row is compared with.
const PEER = {
  node: 'node: @nangohq/node 0.71.10 listRecords loop',
  python: 'python: httpx + orjson loop',
  rust: 'rust: reqwest + serde_json loop',
}

function measure(name, limit) {
  const [cmd, args] = CLIENTS[name](String(limit))
  const result = JSON.parse(execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 20 }).trim())
  if (result.count !== RECORDS) throw new Error(`${name} at limit ${limit} saw ${result.count} of ${RECORDS} records`)
  return result.recordsPerSecond
}

try {
  const before = await emu.admin('GET', '/counters')
  console.log(`link: ${process.env.BENCH_LINK ?? 'loopback, not shaped'}; server latency ${LATENCY_MS} ms per page`)
  console.log(`${RECORDS} records of ~${RECORD_SIZE} B; best of ${ROUNDS} interleaved rounds; server ${bin}`)
  console.log(`load average before: ${loadavg().map((x) => x.toFixed(2)).join(' ')} (${availableParallelism()} CPUs)`)
  const rows = []
  for (const limit of [1000, 100, 'default']) {
    const best = Object.fromEntries(Object.keys(CLIENTS).map((name) => [name, 0]))
    for (let round = 0; round < ROUNDS; round++) {
      for (const name of Object.keys(CLIENTS)) best[name] = Math.max(best[name], measure(name, limit))
    }
    for (const [name, perSecond] of Object.entries(best)) {
      const peer = best[PEER[name.split(':')[0]]]
      rows.push({ limit, name, perSecond, ratio: perSecond / peer })
    }
  }
  const after = await emu.admin('GET', '/counters')
  console.log(`load average after: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`)
  if (before.response_bytes !== undefined) {
    console.log(`emulator: ${after.response_bytes - before.response_bytes} response bytes, encodings ${JSON.stringify(after.response_encodings ?? {})}`)
  }
  console.log('\n| limit | client | records/s | vs peer in the same language |')
  console.log('|---|---|---:|---:|')
  for (const r of rows) console.log(`| ${r.limit} | ${r.name} | ${Math.round(r.perSecond).toLocaleString('en-US')} | ${r.ratio.toFixed(2)}x |`)
} finally {
  await emu.stop()
}
