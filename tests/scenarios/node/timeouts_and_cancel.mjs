// timeouts-and-cancel: see rust/src/scenarios/timeouts_and_cancel.rs. Node has no overall
// deadline option; its equivalent is an AbortSignal.timeout() on the call.
import net from 'node:net'
import { CONNECTION, INTEGRATION, Nango, PARAMS, ensure, socketsTo, settleConnections } from './support.mjs'

const hang = (ms, count) => ({ method: 'GET', path: '/records', count, kind: 'delay', ms })

async function failure (promise) {
  try {
    await promise
  } catch (err) {
    return err
  }
  throw new Error('a hung call succeeded')
}

export async function run (emu, tally) {
  const t = PARAMS.timeouts
  const config = { providerConfigKey: INTEGRATION, connectionId: CONNECTION, model: t.model, limit: 1000 }

  // 1. Per-attempt timeout with retries.
  let nango = emu.client({ timeoutMs: t.timeout_ms, maxRetries: 2 })
  await emu.addFaults([hang(t.hang_ms, 3)])
  let started = performance.now()
  let err = await failure(nango.listRecords(config))
  let took = performance.now() - started
  tally.inputs++; tally.faults += 3
  ensure(err.nangoCode === 'timeout', `hung call ended with ${err.nangoCode} (${err})`)
  ensure(took < t.hang_ms, `the call waited for the hung server (${took} ms)`)
  tally.notes.push(`timeout+retries: ${err.nangoCode} in ${(took / 1000).toFixed(1)}s`)
  await emu.admin('DELETE', '/faults')

  // 2. An overall limit on one call: AbortSignal.timeout.
  nango = emu.client()
  await emu.addFaults([hang(t.hang_ms, 1)])
  started = performance.now()
  err = await failure(nango.listRecords(config, { signal: AbortSignal.timeout(t.timeout_ms * 3) }))
  took = performance.now() - started
  tally.inputs++; tally.faults++
  ensure(err.nangoCode === 'cancelled', `signal-limited call ended with ${err.nangoCode} (${err})`)
  ensure(took < t.hang_ms, `the call waited for the hung server (${took} ms)`)
  await emu.admin('DELETE', '/faults')

  // 3. A listener that accepts and never answers.
  const held = []
  const mute = net.createServer((s) => held.push(s))
  await new Promise((resolve) => mute.listen(0, '127.0.0.1', resolve))
  const muteClient = new Nango({ host: `http://127.0.0.1:${mute.address().port}`, secretKey: emu.secretKey, timeoutMs: t.timeout_ms, maxRetries: 1 })
  started = performance.now()
  err = await failure(muteClient.listRecords(config))
  for (const s of held) s.destroy()
  mute.close()
  tally.inputs++
  ensure(err.nangoCode === 'timeout', `mute server: ${err.nangoCode} (${err})`)
  ensure(performance.now() - started < t.hang_ms, 'the call hung on a mute server')

  // 4. Cancel while a page is awaited (AbortSignal on the walk).
  // The earlier clients go first and their pooled sockets are settled: if GC closed one of
  // them between the two counts below, it would hide the walk's own socket (a CI flake).
  const port = emu.port
  nango = null
  let baseline = await settleConnections(port, 0, 40)
  nango = emu.client()
  await emu.addFaults([hang(t.hang_ms, 1)])
  const controller = new AbortController()
  const it = nango.records(config, { signal: controller.signal })
  const pending = it.next().then(() => null, (e) => e)
  await emu.waitFaultsConsumed()
  const during = socketsTo(port)
  controller.abort()
  err = await pending
  let after = await settleConnections(port, baseline)
  tally.inputs++; tally.faults++
  tally.notes.push(`cancel while awaiting: ${err?.nangoCode} sockets ${baseline}->${during}->${after}`)
  ensure(err && err.nangoCode === 'cancelled', `the aborted walk ended with ${err?.nangoCode ?? 'a record'}`)
  ensure(during > baseline, `no connection was open during the hung page (${during})`)
  ensure(after <= baseline, `the cancelled walk still holds ${after} connections (baseline ${baseline})`)

  // 5. Stop early (break) while the read-ahead page hangs.
  nango = null
  baseline = await settleConnections(port, 0, 40)
  await emu.addFaults([{ method: 'GET', path: '/records', count: 1, kind: 'delay', ms: 0 }, hang(t.hang_ms, 1)])
  {
    const client = emu.client()
    let n = 0
    for await (const r of client.records(config)) {
      ensure(r.id, 'a record without id')
      if (++n === 10) {
        await emu.waitFaultsConsumed()
        break
      }
    }
  }
  after = await settleConnections(port, baseline)
  tally.inputs++; tally.faults++
  tally.notes.push(`break during read-ahead: sockets ${baseline}->${after}`)
  ensure(after <= baseline, `the abandoned walk still holds ${after} connections (baseline ${baseline})`)
}
