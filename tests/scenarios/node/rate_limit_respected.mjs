// rate-limit-respected: see rust/src/scenarios/rate_limit_respected.rs.
import { CONNECTION, INTEGRATION, PARAMS, ensure } from './support.mjs'

export async function run (emu, tally) {
  const p = PARAMS.rate_limit
  const nango = emu.client()
  await emu.admin('DELETE', '/counters')
  await emu.admin('PUT', '/rate-limit', { limit: p.limit, window_secs: p.window_secs })
  const started = performance.now()
  const ids = new Set()
  let delivered = 0
  let okPages = 0
  const it = nango.records({ providerConfigKey: INTEGRATION, connectionId: CONNECTION, model: p.model, limit: p.page_size })
  for await (const page of it.pages()) {
    okPages++
    for (const r of page) { delivered++; ids.add(r.id) }
  }
  const elapsed = (performance.now() - started) / 1000
  await emu.admin('DELETE', '/rate-limit')
  const sent = (await emu.counters()).requests['GET /records/'] ?? 0
  const refused = sent - okPages
  const windows = Math.ceil(elapsed / p.window_secs) + 1
  tally.records = delivered
  tally.faults = refused
  tally.notes.push(`${okPages} pages, ${refused} refused (429) over ${windows} windows of ${p.window_secs}s at ${p.limit}/window`)
  ensure(delivered === p.records && ids.size === p.records, `delivered ${delivered} (${ids.size} distinct) of ${p.records}`)
  ensure(refused > 0, 'the limiter never refused a request: the scenario proved nothing')
  ensure(refused <= windows, `${refused} refused requests in ${windows} windows: the client retried before Retry-After`)
}
