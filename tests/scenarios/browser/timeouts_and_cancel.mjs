// timeouts-and-cancel: every way a browser flow can wait forever ends with its own error type in
// bounded time, and releases what it held. Cases: (1) the emulator never answers the WebSocket
// upgrade (fault: 30 s delay) + `timeoutMs` → `timeout`; (2) a WebSocket server that accepts and
// never sends (a bare listener that never completes the upgrade, and a server that completes it
// and stays silent) → `timeout`, and the client closes its TCP connection; (3) the emulator drops the
// upgrade (fault) → `socket_closed` at once; (4) a socket acknowledged then dropped mid-flow →
// `socket_closed` after `socketLostGraceMs`; (5) the user closes the popup →
// `window_closed`; (6) `clear()` → `cancelled`; (7) a second auth() cancels the first (which
// rejects `cancelled`) and times out on its own; (8) a
// credential route whose server hangs (fault: 30 s delay) + `timeoutMs` → `timeout`.
// After each: no timer, interval, socket, listener, BroadcastChannel or popup left (instrument.js),
// and the SAME Nango instance then completes a credential flow; at the end it completes a full
// popup consent flow too.
import { describeCounts, ensure, openPage, startBareServer, waitReleased } from './support.mjs'

const HANG_MS = 30000
const BOUND_MS = 5000

export async function run ({ emu, browser, pages }, tally) {
  const token = await emu.sessionToken()
  const bare = []
  const { context, page, log } = await openPage(browser, pages)
  const failures = []
  try {
    await page.evaluate(({ H, T }) => { window.nango = new Nango({ host: H, connectSessionToken: T }) }, { H: emu.url, T: token })
    const silent = await startBareServer({ mode: 'silent' })
    const open = await startBareServer({ mode: 'open' })
    const acked = await startBareServer({ mode: 'ack', closeAfterMs: 150 })
    bare.push(silent, open, acked)

    // Each case: [name, setup() -> injected fault count, page-side call, expected type, after()].
    const cases = [
      ['WebSocket upgrade never answered', async () => {
        await emu.addFaults([{ method: 'GET', path: '/', count: 1, kind: 'delay', ms: HANG_MS }])
        return 1
      }, "nango.auth('zendesk', { timeoutMs: 500 })", 'timeout', async () => {
        ensure(await emu.faultsLeft() === 0, 'the hang fault was never reached')
      }],
      ['WebSocket upgrade never completed (bare listener)', async () => 1,
        `new Nango({ host: '${emu.url}', connectSessionToken: '${token}', websocketsPath: '${silent.wsUrl}' }).auth('zendesk', { timeoutMs: 500 })`,
        'timeout', async () => {
          ensure(silent.accepted() >= 1, 'the bare listener was never reached')
        }],
      ['WebSocket open, never sends', async () => 1,
        `new Nango({ host: '${emu.url}', connectSessionToken: '${token}', websocketsPath: '${open.wsUrl}' }).auth('zendesk', { timeoutMs: 500 })`,
        'timeout', async () => {
          ensure(open.accepted() >= 1, 'the silent WebSocket server was never reached')
          const left = await open.waitClosedByClient(BOUND_MS)
          ensure(left === 0, `${left} connection(s) to the silent WebSocket server still open after the timeout`)
        }],
      ['WebSocket upgrade dropped', async () => {
        await emu.addFaults([{ method: 'GET', path: '/', count: 1, kind: 'drop' }])
        return 1
      }, "nango.auth('zendesk', { timeoutMs: 20000 })", 'socket_closed', async () => {
        ensure(await emu.faultsLeft() === 0, 'the drop fault was never reached')
      }],
      ['WebSocket dropped after the ack', async () => 1,
        `new Nango({ host: '${emu.url}', connectSessionToken: '${token}', websocketsPath: '${acked.wsUrl}' }).auth('zendesk', { socketLostGraceMs: 300, timeoutMs: 20000 })`,
        'socket_closed', async () => {
          ensure(acked.accepted() >= 1, 'the acknowledging server was never reached')
        }],
      ['popup closed by the user', async () => {
        // Closes the popup once its consent page shows (the user gives up).
        context.once('page', async (popup) => {
          try { await popup.waitForSelector('text=Allow', { timeout: BOUND_MS }); await popup.close() } catch {}
        })
        return 0
      }, "nango.auth('zendesk', { detectClosedAuthWindow: true, timeoutMs: 20000 })", 'window_closed'],
      ['clear() while the popup is open', async () => 0,
        "(() => { const p = nango.auth('zendesk', { timeoutMs: 20000 }); __real.setTimeout(() => nango.clear(), 700); return p })()",
        'cancelled'],
      ['a second auth() replaces the first', async () => {
        // The first flow starts in its own user gesture (a popup needs one), the second in the next.
        await page.evaluate(() => { window.first = window.attempt(() => nango.auth('zendesk'), 5000) })
        return 0
      }, "nango.auth('zendesk', { timeoutMs: 300 })", 'timeout', async () => {
        const first = await page.evaluate(() => window.first)
        ensure(first.rejected?.type === 'cancelled', `the replaced flow: ${JSON.stringify(first).slice(0, 120)}`)
      }],
      ['credential route, server never answers', async () => {
        await emu.addFaults([{ method: 'POST', path: '/api-auth/', count: 1, kind: 'delay', ms: HANG_MS }])
        return 1
      }, "nango.auth('demo-api-key', { credentials: { apiKey: 'sk-demo-valid' }, timeoutMs: 500 })", 'timeout'],
    ]

    for (const [name, setup, call, expected, after] of cases) {
      tally.inputs++
      const problems = []
      try {
        tally.faults += await setup()
        const started = Date.now()
        const outcome = await page.evaluate((src) => window.attempt(() => (0, eval)(src), 5000), call)
        const took = Date.now() - started
        const e = outcome.rejected ?? outcome.threw
        if (outcome.hung) problems.push(`still pending after ${BOUND_MS / 1000} s (expected ${expected})`)
        else if (!e) problems.push(`resolved, expected ${expected}`)
        else if (!e.isAuthError || e.type !== expected) problems.push(`${e.ctor}(${e.type}): ${e.message}, expected ${expected}`)
        else tally.notes.push(`${name}: ${expected} after ${took} ms`)
        if (after) await after()
        const counts = await waitReleased(page, 3000)
        if (Object.values(counts).some((n) => n > 0)) problems.push(`left behind: ${describeCounts(counts)}`)
      } catch (err) {
        problems.push(String(err.message ?? err))
      }
      // Whatever happened, the hang faults go and the next case starts clean.
      await emu.admin('DELETE', '/faults')
      await page.evaluate(() => nango.clear())
      // The same instance still works: a credential flow resolves (the emulator creates it).
      const next = await page.evaluate(() => window.attempt(() => nango.auth('demo-api-key', { credentials: { apiKey: 'sk-demo-valid' } }), 5000))
      if (typeof next.resolved?.connectionId !== 'string') problems.push(`the next auth() did not work: ${JSON.stringify(next).slice(0, 160)}`)
      else tally.records++
      if (problems.length) failures.push(`${name}: ${problems.join('; ')}`)
    }

    // And a whole popup flow on the same instance, through the consent page.
    const popupShown = context.waitForEvent('page')
    const flow = page.evaluate(() => window.attempt(() => nango.auth('zendesk', { timeoutMs: 20000 }), 20000))
    const popup = await popupShown
    await popup.waitForSelector('text=Allow')
    await popup.click('text=Allow')
    const done = await flow
    if (done.resolved?.providerConfigKey !== 'zendesk') failures.push(`final consent flow: ${JSON.stringify(done).slice(0, 160)}`)
    else if (await emu.connectionStatus('zendesk', done.resolved.connectionId) !== 200) failures.push('final consent flow: the backend does not see the connection')
    else tally.records++
    const counts = await waitReleased(page, 3000)
    if (Object.values(counts).some((n) => n > 0)) failures.push(`after the final flow: ${describeCounts(counts)}`)
    if (log.pageErrors.length) failures.push(`uncaught errors in the page: ${log.pageErrors.join('; ').slice(0, 200)}`)
    if (log.foreign.length) failures.push(`requests to foreign hosts: ${log.foreign.length}`)
    tally.notes.push(`WebSockets created ${await page.evaluate(() => window.__created.sockets)}`)
  } finally {
    await context.close()
    for (const server of bare) await server.close()
  }
  if (failures.length) tally.notes.push(...failures)
  ensure(failures.length === 0, () => `${failures.length} case(s) failed: ${failures.join(' | ')}`)
}
