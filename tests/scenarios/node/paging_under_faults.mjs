// paging-under-faults: see rust/src/scenarios/paging_under_faults.rs (same plan, same checks).
import { CONNECTION, INTEGRATION, PARAMS, ensure, faultPlan, orderViolations, summary, walk } from './support.mjs'

export async function run (emu, tally) {
  const p = PARAMS.paging
  const plan = faultPlan(PARAMS.seed, p.fault_slots, 'GET', '/records', p.slow_ms, p.retry_after_secs)
  await emu.addFaults(plan.map((s) => s.rule))
  const nango = emu.client()
  const config = { providerConfigKey: INTEGRATION, connectionId: CONNECTION, model: p.model, limit: p.page_size }
  const result = await walk(nango, config)

  const left = await emu.faultsLeft()
  await emu.admin('DELETE', '/faults')
  const consumed = plan.slice(0, p.fault_slots - left).filter((s) => s.label !== 'pass')
  tally.faults = consumed.length
  const byKind = {}
  for (const s of consumed) byKind[s.label] = (byKind[s.label] ?? 0) + 1
  tally.notes.push(`seed ${PARAMS.seed} faults ${JSON.stringify(byKind)}`)
  tally.notes.push(`errors surfaced: ${summary(result.errors)}`)
  tally.records = result.records.length

  const counts = new Map()
  for (const r of result.records) counts.set(r.id, (counts.get(r.id) ?? 0) + 1)
  const dupes = [...counts.values()].filter((c) => c > 1).length
  ensure(dupes === 0, `${dupes} ids delivered more than once`)
  let missing = 0
  for (let n = 1; n <= p.records; n++) if (!counts.has(String(n))) missing++
  ensure(missing === 0, `${missing} of ${p.records} ids never delivered`)
  ensure(result.records.length === p.records, `delivered ${result.records.length}, expected ${p.records}`)
  const disorder = orderViolations(result.records)
  ensure(disorder === 0, `${disorder} cursors not strictly increasing`)
  const last = result.records.at(-1)?.cursor ?? null
  ensure(result.checkpoint === last, `checkpoint ${result.checkpoint} is not the last record's cursor ${last}`)
  for (const kind of ['429', '503', 'drop', 'truncate', 'slow']) {
    ensure(byKind[kind] > 0, `no ${kind} fault was reached: raise fault_slots or change the seed`)
  }
  const resumed = await walk(nango, { ...config, cursor: last })
  ensure(resumed.records.length === 0 && resumed.errors.length === 0,
    `resuming from the final checkpoint gave ${resumed.records.length} records, ${resumed.errors.length} errors`)
}
