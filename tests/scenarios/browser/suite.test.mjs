// The browser scenario suite: @nango-rs/frontend (the built wasm package, bindings-wasm/pkg) in
// headless Chromium against ONE emulator, one module per scenario that applies to a browser
// SDK, plus `not_applicable.mjs`, which checks that the package still lacks the APIs the other
// scenarios need. Run: node --test tests/scenarios/browser/ (NANGO_SCENARIOS=a,b to filter).
import { after, before, test } from 'node:test'
import { launchBrowser, newTally, report, startEmulator, startPageServer } from './support.mjs'
import { NOT_APPLICABLE, checkNotApplicable } from './not_applicable.mjs'

const SCENARIOS = ['timeouts_and_cancel', 'bad_input', 'no_secret_leak', 'load']
const only = (process.env.NANGO_SCENARIOS ?? '').split(',').filter(Boolean)
const wanted = (name) => !only.length || only.includes(name)

const env = {}
before(async () => {
  // Started one by one so that a failure leaves nothing half-started behind after().
  env.emu = await startEmulator()
  env.pages = await startPageServer()
  env.chromium = await launchBrowser()
  env.browser = env.chromium.browser
})
after(async () => {
  await env.chromium?.close()
  await env.pages?.close()
  await env.emu?.stop()
})

for (const file of SCENARIOS) {
  const name = file.replaceAll('_', '-')
  if (!wanted(name)) continue
  // No scenario may hang the suite: each has a deadline well above its expected run time.
  test(name, { timeout: 180_000 }, async () => {
    const mod = await import(`./${file}.mjs`)
    const tally = newTally()
    const started = performance.now()
    let error = null
    try {
      await mod.run(env, tally)
    } catch (err) {
      error = err
    } finally {
      try { await env.emu.reset() } catch (err) { error ??= err }
      report(name, error === null ? 'pass' : 'fail', tally, error, (performance.now() - started) / 1000)
    }
    if (error) throw error
  })
}

const inapplicable = Object.keys(NOT_APPLICABLE).filter(wanted)
if (inapplicable.length) {
  test('not applicable: the package lacks the APIs these scenarios need', { timeout: 60_000 }, async () => {
    const started = performance.now()
    let error = null
    let found = {}
    try {
      found = await checkNotApplicable(env)
    } catch (err) {
      error = err
    }
    const seconds = (performance.now() - started) / 1000
    for (const name of inapplicable) {
      const tally = newTally()
      const { reason, absent } = NOT_APPLICABLE[name]
      tally.notes.push(reason, `checked absent: ${absent.join(', ')}`)
      const present = (found[name] ?? []).join(', ')
      const failure = error ?? (present ? new Error(`the browser package now has ${present}: implement ${name} for it`) : null)
      report(name, failure ? 'fail' : 'na', tally, failure, seconds)
    }
    if (error) throw error
    const grown = inapplicable.filter((n) => (found[n] ?? []).length)
    if (grown.length) throw new Error(`APIs appeared for ${grown.join(', ')}`)
  })
}
