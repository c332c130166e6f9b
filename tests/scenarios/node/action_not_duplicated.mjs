// action-not-duplicated: see rust/src/scenarios/action_not_duplicated.rs.
import { CONNECTION, INTEGRATION, Mulberry32, PARAMS, ensure, sleep } from './support.mjs'

const ACTION = 'echo'

function rule (kind, ms) {
  const base = { method: 'POST', path: '/action/trigger', count: 1 }
  switch (kind) {
    case 'none': return null
    case '429': return { ...base, kind: 'status', status: 429, retry_after: 1 }
    case '500': case '502': case '503': case '504': return { ...base, kind: 'status', status: Number(kind) }
    case 'drop': return { ...base, kind: 'drop' }
    case 'truncate': return { ...base, kind: 'truncate' }
    case 'slow': return { ...base, kind: 'delay', ms }
  }
  return null
}

export async function run (emu, tally) {
  const timeoutMs = PARAMS.timeouts.timeout_ms
  const hangMs = timeoutMs * 4
  const nango = emu.client({ timeoutMs })
  const cases = []
  for (const asyncCall of [false, true]) {
    for (const kind of ['none', '429', '500', '502', '503', '504', 'drop', 'truncate', 'slow']) cases.push([kind, asyncCall])
  }
  const rng = new Mulberry32((PARAMS.seed + 2) >>> 0)
  const kinds = ['none', '429', '503', 'drop', 'truncate', 'slow']
  for (let i = 0; i < PARAMS.actions.random_calls; i++) {
    const kind = kinds[rng.below(kinds.length)]
    cases.push([kind, rng.below(2) === 1])
  }
  const seen = []
  for (const [n, [kind, asyncCall]] of cases.entries()) {
    await emu.admin('DELETE', '/counters')
    const r = rule(kind, hangMs)
    if (r) await emu.addFaults([r])
    let ok = true
    let label = 'ok'
    try {
      if (asyncCall) await nango.triggerActionAsync(INTEGRATION, CONNECTION, ACTION, { n })
      else await nango.triggerAction(INTEGRATION, CONNECTION, ACTION, { n })
    } catch (err) {
      ok = false
      label = err.nangoCode ?? String(err)
    }
    await emu.waitFaultsConsumed()
    if (kind === 'slow') await sleep(hangMs + 200)
    if (asyncCall) await sleep(100)
    const count = await emu.actionCount(ACTION)
    tally.inputs++
    if (kind !== 'none') tally.faults++
    seen.push(`${asyncCall ? 'async:' : ''}${kind}->${label}/${count}`)
    ensure(count <= 1, `${kind} (async=${asyncCall}): the action ran ${count} times`)
    ensure(!ok || count === 1, `${kind} (async=${asyncCall}): succeeded but ran ${count} times`)
    if (kind === 'truncate' && !asyncCall) ensure(!ok && count === 1, `truncate: expected one execution and an error, got ok=${ok} count=${count}`)
    if (kind === 'none' || kind === '429') ensure(ok, `${kind} (async=${asyncCall}) should succeed, got ${label}`)
  }
  tally.notes.push(seen.join(' '))
}
