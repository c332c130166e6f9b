// load: see rust/src/scenarios/load.rs. One client, 200 concurrent walks and 2,000 concurrent
// actions per round; GC runs before each sample when node has --expose-gc. The client has a cap
// of `max_in_flight` requests in flight: the sockets it has open to the emulator, sampled all
// through each round, stay under it plus `idle_pool`, core's cap on idle pooled connections
// (hyper starts a connection for a request that finds none idle; when another is freed first the
// request takes that one and the new connection joins the idle pool).
import { CONNECTION, INTEGRATION, PARAMS, ensure, socketsTo, fdCount, rssKib, sleep } from './support.mjs'

async function oneWalk (nango, config) {
  const ids = new Set()
  let n = 0
  for await (const r of nango.records(config)) { ids.add(r.id); n++ }
  if (ids.size !== n) throw new Error(`walk delivered ${n} records but ${ids.size} distinct`)
  return n
}

export async function run (emu, tally) {
  const p = PARAMS.load
  const nango = emu.client({ maxInFlight: p.max_in_flight })
  const config = { providerConfigKey: INTEGRATION, connectionId: CONNECTION, model: p.model, limit: p.page_size }
  const samples = []
  const peaks = []
  for (let round = 0; round < p.rounds; round++) {
    await emu.admin('DELETE', '/counters')
    let peak = 0
    const sampler = setInterval(() => { peak = Math.max(peak, socketsTo(emu.port)) }, 5)
    const walks = Array.from({ length: p.walks }, () => oneWalk(nango, config))
    const actions = Array.from({ length: p.actions }, async (_, i) => {
      const out = await nango.triggerAction(INTEGRATION, CONNECTION, 'echo', { round, i })
      if (out?.round !== round || out?.i !== i) throw new Error(`action ${i} echoed ${JSON.stringify(out)}`)
    })
    const settled = await Promise.allSettled([...walks, ...actions])
    clearInterval(sampler)
    peaks.push(peak)
    const failures = settled.filter((s) => s.status === 'rejected').map((s) => String(s.reason?.nangoCode ?? s.reason))
    const short = settled.slice(0, p.walks).filter((s) => s.status === 'fulfilled' && s.value !== p.records).length
    ensure(failures.length === 0, `round ${round}: ${failures.length} failures, e.g. ${failures.slice(0, 3)}`)
    ensure(short === 0, `round ${round}: ${short} walks delivered fewer than ${p.records}`)
    const ran = await emu.actionCount('echo')
    ensure(ran === p.actions, `round ${round}: the emulator ran ${ran} actions, expected ${p.actions}`)
    tally.records += p.records * p.walks
    tally.inputs += p.actions
    if (global.gc) { global.gc(); await sleep(50); global.gc() }
    samples.push([fdCount(), socketsTo(emu.port), rssKib()])
  }
  const [first, last] = [samples[0], samples.at(-1)]
  tally.notes.push(`per round (fds, sockets to emulator, RSS KiB): ${JSON.stringify(samples)}`)
  tally.notes.push(`most sockets to the emulator open at once, per round: ${JSON.stringify(peaks)} (cap ${p.max_in_flight})`)
  const most = Math.max(...peaks)
  ensure(most <= p.max_in_flight + p.idle_pool, `${most} sockets open at once, over the cap of ${p.max_in_flight} requests in flight + ${p.idle_pool} idle`)
  ensure(last[0] <= first[0] + p.fd_slack, `descriptors grew from ${first[0]} to ${last[0]} across rounds`)
  ensure(last[1] <= first[1] + p.fd_slack, `connections to the emulator grew from ${first[1]} to ${last[1]} across rounds`)
  const limit = Math.floor(first[2] * (1 + p.rss_slack_ratio)) + p.rss_slack_kib
  ensure(last[2] <= limit, `RSS grew from ${first[2]} KiB to ${last[2]} KiB (limit ${limit})`)
}
