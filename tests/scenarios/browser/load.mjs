// load (bounded, what applies to a browser SDK): one page, ONE Nango instance, many sequential
// flows — API-key connections (most succeed, every fifth uses a wrong key), popup consent flows
// and popup flows that time out. After a warm-up round and again at the end: the package's live
// resources (instrument.js) are all released, exactly one WebSocket was opened per popup flow,
// Chromium's count of JS event listeners (CDP Performance.getMetrics) has not grown, the JS heap
// and the wasm linear memory have not grown beyond a small slack, and Chromium holds no more
// TCP connections to the emulator than its keep-alive pool (≤ 8). Every connection that
// resolved is then seen by the backend (emulator, secret key).
import { connectionsTo, describeCounts, ensure, openPage, sleep, waitReleased } from './support.mjs'

const API_FLOWS = 50
const CONSENT_FLOWS = 10
const TIMEOUT_FLOWS = 10
const WARMUP = { api: 10, consent: 2, timeout: 2 }
const HEAP_SLACK = { bytes: 2 * 1024 * 1024, ratio: 0.25 }
const LISTENER_SLACK = 2
const TCP_MAX = 8

export async function run ({ emu, browser, pages }, tally) {
  const token = await emu.sessionToken()
  const { context, page, log } = await openPage(browser, pages)
  const cdp = await context.newCDPSession(page)
  await cdp.send('Performance.enable')
  const created = new Set()
  const failures = []
  const codes = {}
  let popupFlows = 0
  try {
    await page.evaluate(({ H, T }) => { window.nango = new Nango({ host: H, connectSessionToken: T }) }, { H: emu.url, T: token })

    const apiFlow = async (i) => {
      const wrong = i % 5 === 4
      const out = await page.evaluate((key) => window.attempt(() => nango.auth('demo-api-key', { credentials: { apiKey: key } }), 5000), wrong ? 'sk-wrong' : 'sk-demo-valid')
      const code = out.rejected?.type ?? (out.resolved ? 'ok' : 'hung')
      codes[code] = (codes[code] ?? 0) + 1
      if (wrong ? code !== 'connection_test_failed' : code !== 'ok') failures.push(`API flow ${i}: ${code}`)
      if (out.resolved) {
        if (created.has(out.resolved.connectionId)) failures.push(`API flow ${i}: connection id ${out.resolved.connectionId} twice`)
        created.add(out.resolved.connectionId)
      }
    }
    const consentFlow = async (i) => {
      popupFlows++
      const shown = context.waitForEvent('page')
      const result = page.evaluate(() => window.attempt(() => nango.auth('zendesk'), 15000))
      const popup = await shown
      await popup.waitForSelector('text=Allow')
      await popup.click('text=Allow')
      const out = await result
      const code = out.rejected?.type ?? (out.resolved ? 'ok' : 'hung')
      codes[code] = (codes[code] ?? 0) + 1
      if (code !== 'ok') failures.push(`consent flow ${i}: ${code}`)
      else created.add(out.resolved.connectionId)
    }
    const timeoutFlow = async (i) => {
      popupFlows++
      const out = await page.evaluate(() => window.attempt(() => nango.auth('zendesk', { timeoutMs: 200 }), 5000))
      const code = out.rejected?.type ?? (out.resolved ? 'ok' : 'hung')
      codes[code] = (codes[code] ?? 0) + 1
      if (code !== 'timeout') failures.push(`timeout flow ${i}: ${code}`)
    }
    const sample = async () => {
      const counts = await waitReleased(page, 3000)
      await cdp.send('HeapProfiler.collectGarbage')
      await sleep(100)
      const { metrics } = await cdp.send('Performance.getMetrics')
      const metric = (name) => metrics.find((m) => m.name === name)?.value ?? NaN
      const wasmBytes = await page.evaluate(async () => {
        // wasm-bindgen's init returns the instance's exports (memory included) once loaded.
        const exports = await (await import('/pkg/nango_wasm.js')).default()
        return exports?.memory?.buffer?.byteLength ?? null
      })
      let tcp = connectionsTo(emu.port)
      for (let i = 0; i < 40 && tcp > TCP_MAX; i++) { await sleep(100); tcp = connectionsTo(emu.port) }
      return {
        counts,
        listeners: metric('JSEventListeners'),
        heap: metric('JSHeapUsedSize'),
        wasmBytes,
        tcp,
        sockets: await page.evaluate(() => window.__created.sockets),
      }
    }

    for (let i = 0; i < WARMUP.api; i++) await apiFlow(i)
    for (let i = 0; i < WARMUP.consent; i++) await consentFlow(i)
    for (let i = 0; i < WARMUP.timeout; i++) await timeoutFlow(i)
    const first = await sample()
    const popupsBefore = popupFlows

    for (let i = 0; i < API_FLOWS; i++) {
      await apiFlow(i)
      if (i % 5 === 0 && i / 5 < CONSENT_FLOWS) await consentFlow(i / 5)
      if (i % 5 === 2 && (i - 2) / 5 < TIMEOUT_FLOWS) await timeoutFlow((i - 2) / 5)
    }
    const last = await sample()
    const flows = WARMUP.api + WARMUP.consent + WARMUP.timeout + API_FLOWS + CONSENT_FLOWS + TIMEOUT_FLOWS
    tally.inputs = flows
    tally.notes.push(`outcomes ${JSON.stringify(codes)}`)
    tally.notes.push(`after warm-up: ${JSON.stringify(first)}`, `at the end: ${JSON.stringify(last)}`)

    if (Object.values(last.counts).some((n) => n > 0)) failures.push(`left behind: ${describeCounts(last.counts)}`)
    const sockets = last.sockets - first.sockets
    if (sockets !== popupFlows - popupsBefore) failures.push(`${sockets} WebSockets for ${popupFlows - popupsBefore} popup flows`)
    if (!(last.listeners <= first.listeners + LISTENER_SLACK)) failures.push(`JS event listeners grew ${first.listeners} -> ${last.listeners}`)
    if (!(last.heap <= first.heap * (1 + HEAP_SLACK.ratio) + HEAP_SLACK.bytes)) failures.push(`JS heap grew ${first.heap} -> ${last.heap}`)
    if (first.wasmBytes === null || last.wasmBytes === null) failures.push('the wasm memory could not be read')
    else if (!(last.wasmBytes <= first.wasmBytes * (1 + HEAP_SLACK.ratio) + HEAP_SLACK.bytes)) failures.push(`wasm memory grew ${first.wasmBytes} -> ${last.wasmBytes}`)
    if (last.tcp > TCP_MAX) failures.push(`${last.tcp} TCP connections to the emulator (max ${TCP_MAX})`)
    if (log.pageErrors.length) failures.push(`uncaught errors in the page: ${log.pageErrors.join('; ').slice(0, 200)}`)
  } finally {
    await context.close()
  }
  // The backend sees every connection the browser created.
  for (const id of created) {
    const key = (await emu.connectionStatus('demo-api-key', id)) === 200 ? 'demo-api-key' : 'zendesk'
    if (key === 'zendesk' && (await emu.connectionStatus('zendesk', id)) !== 200) failures.push(`connection ${id} unknown to the backend`)
    else tally.records++
  }
  if (failures.length) tally.notes.push(...failures)
  ensure(failures.length === 0, () => `${failures.length} problem(s): ${failures.slice(0, 6).join(' | ')}`)
}
