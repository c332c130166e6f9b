// resume-from-checkpoint: see rust/src/scenarios/resume_from_checkpoint.rs. The checkpoint is
// the cursor of the last record handed out, in every language (tests/vectors/checkpoints.json):
// nothing at or before it comes again unless it changed, and everything after it or changed
// comes exactly once.
import { CONNECTION, INTEGRATION, Mulberry32, PARAMS, cursorKey, ensure, walk } from './support.mjs'

function pick (rng, pool, n) {
  pool = [...pool]
  const out = []
  while (out.length < n && pool.length) {
    const i = rng.below(pool.length)
    out.push(pool[i])
    pool[i] = pool[pool.length - 1]
    pool.pop()
  }
  return out
}

export async function run (emu, tally) {
  const p = PARAMS.resume
  const nango = emu.client()
  const config = { providerConfigKey: INTEGRATION, connectionId: CONNECTION, model: p.model, limit: p.page_size }
  const first = await walk(nango, config, p.stop_after)
  ensure(first.errors.length === 0, `errors before the stop: ${first.errors}`)
  const checkpoint = first.checkpoint
  ensure(checkpoint, 'no checkpoint after the first walk')
  const cp = cursorKey(checkpoint)
  const covered = new Set(first.records.filter((r) => cursorKey(r.cursor) <= cp).map((r) => r.id))
  ensure(covered.size > 0, 'the checkpoint covers no delivered record')
  tally.notes.push(`stopped after ${first.records.length} records, checkpoint covers ${covered.size}`)

  const all = new Set(Array.from({ length: p.records }, (_, i) => String(i + 1)))
  const before = [...covered].sort()
  const afterIds = [...all].filter((id) => !covered.has(id)).sort()
  const rng = new Mulberry32((PARAMS.seed + 1) >>> 0)
  const updateIds = [...pick(rng, before, p.update_before), ...pick(rng, afterIds, p.update_after)]
  const deleteIds = [
    ...pick(rng, before.filter((i) => !updateIds.includes(i)), p.delete_before),
    ...pick(rng, afterIds.filter((i) => !updateIds.includes(i)), p.delete_after),
  ]
  const m = await emu.admin('POST', '/provider/mutate',
    { integration: INTEGRATION, model: p.model, add: p.add, update_ids: updateIds, delete_ids: deleteIds })
  const added = new Set(m.added); const updated = new Set(m.updated); const deleted = new Set(m.deleted)
  ensure(added.size === p.add && updated.size === updateIds.length && deleted.size === deleteIds.length,
    `the emulator applied a different mutation: ${JSON.stringify(m)}`)
  await emu.admin('POST', '/sync/run', { provider_config_key: INTEGRATION, connection_id: CONNECTION, sync: p.sync })

  const resumed = await walk(nango, { ...config, cursor: checkpoint })
  ensure(resumed.errors.length === 0, `errors while resuming: ${resumed.errors}`)
  const got = new Map()
  for (const r of resumed.records) {
    const e = got.get(r.id) ?? { n: 0, action: '' }
    e.n++
    e.action = r.action
    got.set(r.id, e)
  }
  tally.records = first.records.length + resumed.records.length
  tally.inputs = added.size + updated.size + deleted.size
  const twice = [...got].filter(([, e]) => e.n > 1).map(([id]) => id)
  ensure(twice.length === 0, `delivered twice after resuming: ${twice}`)
  const redelivered = [...covered].filter((id) => got.has(id) && !updated.has(id) && !deleted.has(id))
  ensure(redelivered.length === 0, `unchanged records before the checkpoint came again: ${redelivered.slice(0, 20)}`)
  const expected = new Set([...all].filter((id) => !covered.has(id)))
  for (const s of [added, updated, deleted]) for (const id of s) expected.add(id)
  const missing = [...expected].filter((id) => !got.has(id))
  ensure(missing.length === 0, `changes or unread records never delivered: ${missing.slice(0, 20)}`)
  const extra = [...got.keys()].filter((id) => !expected.has(id))
  ensure(extra.length === 0, `unexpected records: ${extra.slice(0, 20)}`)
  for (const [set, action] of [[added, 'ADDED'], [updated, 'UPDATED'], [deleted, 'DELETED']]) {
    const wrong = [...set].filter((id) => got.get(id)?.action !== action)
    ensure(wrong.length === 0, `records without last_action ${action}: ${wrong}`)
  }
}
