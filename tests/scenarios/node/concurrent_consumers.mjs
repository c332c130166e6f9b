// concurrent-consumers: see rust/src/scenarios/concurrent_consumers.rs. Here the consumers are
// async loops awaiting `next()` on ONE `records()` iterator, so their calls overlap for real (a
// call is made while another still waits for its page).
import { CONNECTION, INTEGRATION, PARAMS, ensure, faultPlan, summary, walk } from './support.mjs'

export async function run (emu, tally) {
  const p = PARAMS.concurrent
  const nango = emu.client()
  const config = { providerConfigKey: INTEGRATION, connectionId: CONNECTION, model: p.model, limit: p.page_size }
  const expected = (await walk(nango, config)).records.map((r) => r.id)
  ensure(new Set(expected).size === p.records, `reference walk gave ${expected.length} records`)

  const plan = faultPlan((PARAMS.seed + 3) >>> 0, p.fault_slots, 'GET', '/records', p.slow_ms, p.retry_after_secs)
  await emu.addFaults(plan.map((s) => s.rule))
  const it = nango.records(config)
  // [ticket, id]: the ticket is taken when the call is made, so sorting by it is call order.
  const got = []
  const perConsumer = Array.from({ length: p.consumers }, () => [])
  const errors = []
  let tickets = 0
  async function consume (index) {
    for (;;) {
      const ticket = tickets++
      let step
      try {
        step = await it.next()
      } catch (err) {
        // A fault outlasted the retries; the walk goes on (the pager re-requests the cursor).
        errors.push(err.nangoCode ?? String(err))
        ensure(errors.length <= 200, `walk stuck: ${errors.length} errors`)
        continue
      }
      if (step.done) return
      got.push([ticket, step.value.id])
      perConsumer[index].push(step.value.id)
    }
  }
  await Promise.all(perConsumer.map((_, i) => consume(i)))
  const left = await emu.faultsLeft()
  await emu.admin('DELETE', '/faults')
  tally.records = got.length
  tally.faults = plan.slice(0, p.fault_slots - left).filter((s) => s.label !== 'pass').length
  tally.notes.push(`${p.consumers} consumers, shares ${JSON.stringify(perConsumer.map((c) => c.length))}`)
  tally.notes.push(`errors surfaced: ${summary(errors)}`)

  const inCallOrder = got.sort((a, b) => a[0] - b[0]).map(([, id]) => id)
  ensure(new Set(inCallOrder).size === inCallOrder.length, 'a record was delivered twice')
  ensure(inCallOrder.length === expected.length, `delivered ${inCallOrder.length} of ${expected.length} records`)
  const firstDiff = inCallOrder.findIndex((id, i) => id !== expected[i])
  ensure(firstDiff === -1, `records in call order differ from a sequential walk's at #${firstDiff}`)
  ensure(perConsumer.filter((c) => c.length > 0).length > 1, 'the calls never overlapped: one consumer took everything')
  const rest = await walk(nango, { ...config, cursor: it.checkpoint })
  ensure(rest.records.length === 0, `resuming from the final checkpoint gave ${rest.records.length} records`)
}
