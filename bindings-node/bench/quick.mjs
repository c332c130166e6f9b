// A shorter run of bench.mjs for iterating on one change: records only, one limit, a chosen set
// of clients, best and median of BENCH_ROUNDS interleaved rounds. Not part of the report table.
// Usage: node bench/quick.mjs [limit] [client,client,...]
import { execFileSync } from 'node:child_process'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startEmulator, zendeskConfig, repoRoot } from '../__test__/support/emulator.mjs'

const here = dirname(fileURLToPath(import.meta.url))
const RECORDS = Number(process.env.BENCH_RECORDS ?? 100_000)
const limit = Number(process.argv[2] ?? 1000)
const clients = (process.argv[3] ?? 'ours,official,plain').split(',')
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5)
const bin = process.env.BENCH_EMULATOR_BIN ?? join(repoRoot, 'target', 'x86_64-unknown-linux-gnu', 'release', 'nango-emulator')
const emu = await startEmulator(zendeskConfig({ seed: RECORDS, recordSize: Number(process.env.BENCH_RECORD_SIZE ?? 1000) }), { bin })
const run = (client) => JSON.parse(execFileSync(process.execPath, [join(here, 'worker.mjs'), client, 'records', emu.url, emu.secretKey, String(limit)], { encoding: 'utf8' }).trim())
try {
  const runs = Object.fromEntries(clients.map((c) => [c, []]))
  for (let round = 0; round < ROUNDS; round++) for (const c of clients) runs[c].push(run(c).recordsPerSecond)
  const best = {}
  for (const c of clients) {
    const sorted = runs[c].toSorted((a, b) => a - b)
    best[c] = sorted.at(-1)
    console.log(`${c.padEnd(12)} best ${Math.round(best[c]).toLocaleString('en-US').padStart(9)}  median ${Math.round(sorted[sorted.length >> 1]).toLocaleString('en-US').padStart(9)}`)
  }
  if (best.official) for (const c of clients) if (c !== 'official') console.log(`${c} / official: ${(best[c] / best.official).toFixed(2)}x`)
} finally {
  await emu.stop()
}
