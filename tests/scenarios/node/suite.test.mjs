// The Node scenario suite: one emulator for all scenarios, one module per scenario (same names
// as rust/src/scenarios/*.rs and python/test_*.py). Run: node --test tests/scenarios/node/
// (add --expose-gc for steadier memory samples in `load`).
import { after, before, test } from 'node:test'
import { newTally, report, startEmulator } from './support.mjs'

const SCENARIOS = [
  'paging_under_faults', 'resume_from_checkpoint', 'rate_limit_respected', 'action_not_duplicated',
  'timeouts_and_cancel', 'webhook_forgery', 'bad_input', 'no_secret_leak', 'load', 'concurrent_consumers',
]
const only = (process.env.NANGO_SCENARIOS ?? '').split(',').filter(Boolean)

let emu
before(async () => { emu = await startEmulator() })
after(async () => { if (emu) await emu.stop() })

for (const file of SCENARIOS) {
  const name = file.replaceAll('_', '-')
  if (only.length && !only.includes(name)) continue
  test(name, async () => {
    const mod = await import(`./${file}.mjs`)
    const tally = newTally()
    const started = performance.now()
    let error = null
    try {
      await mod.run(emu, tally)
    } catch (err) {
      error = err
    } finally {
      try { await emu.reset() } catch (err) { error ??= err }
      report(name, error === null, tally, error, (performance.now() - started) / 1000)
    }
    if (error) throw error
  })
}
