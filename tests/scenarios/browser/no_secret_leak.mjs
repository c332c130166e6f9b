// no-secret-leak: with `debug: true`, the session token, a public key, a secret key given by
// mistake, API keys, passwords, an OAuth client-secret override and an HMAC never appear (as is,
// upper-cased, without dashes, or URL-encoded) in: any console message of the page at any level
// (debug included — and debug output must actually be produced, else nothing was checked), any
// thrown or rejected error's message / String() / stack / JSON / enumerable properties, a page
// error, or a resolved value. Failures provoked: deny, closed popup, timeout, dropped WebSocket,
// 400 / 500 / truncated answers on the credential routes, wrong keys and passwords, unknown
// integration, wrong auth mode, a refused public key, a refused secret key, a bad host,
// cancellation; plus successes (popup consent, API key, basic) and Connect UI receiving the token.
import { randomBytes, randomUUID } from 'node:crypto'
import { ensure, openPage, waitReleased } from './support.mjs'

export async function run ({ emu, browser, pages }, tally) {
  const token = await emu.sessionToken()
  const secrets = {
    'session token': token,
    'session token hex': token.replace(/^nango_connect_session_/, ''),
    'public key': randomUUID(),
    'secret key': emu.secretKey,
    'valid API key': 'sk-demo-valid',
    'wrong API key': `sk-leak-${randomUUID()}`,
    'valid password': 'demo-password',
    'wrong password': `pw-leak-${randomBytes(8).toString('hex')}`,
    'client secret override': `cs-leak-${randomBytes(8).toString('hex')}`,
    hmac: randomBytes(32).toString('hex'),
  }
  const { context, page, log } = await openPage(browser, pages)
  const consoleTexts = []
  page.on('console', (m) => consoleTexts.push({ type: m.type(), text: m.text() }))
  const outcomes = []
  try {
    await page.evaluate(({ H, s }) => {
      window.s = s
      window.nango = new Nango({ host: H, connectSessionToken: s['session token'], debug: true })
    }, { H: emu.url, s: secrets })
    const call = async (src, ms = 8000) => {
      const out = await page.evaluate(({ src, ms }) => window.attempt(() => (0, eval)(src), ms), { src, ms })
      outcomes.push(out)
      return out
    }
    const withPopup = async (src, act) => {
      const shown = context.waitForEvent('page')
      const result = call(src, 15000)
      const popup = await shown
      await popup.waitForSelector('text=Allow')
      await act(popup)
      return result
    }
    const codes = []
    const note = (out) => codes.push(out.rejected?.type ?? out.threw?.ctor ?? (out.resolved ? 'ok' : 'hung'))

    note(await withPopup("nango.auth('zendesk')", (p) => p.click('text=Allow')))
    note(await withPopup("nango.auth('zendesk')", (p) => p.click('text=Deny')))
    note(await withPopup("nango.auth('zendesk', { detectClosedAuthWindow: true })", (p) => p.close()))
    note(await call("nango.auth('zendesk', { timeoutMs: 400 })"))
    await emu.addFaults([{ method: 'GET', path: '/', count: 1, kind: 'drop' }])
    tally.faults++
    note(await call("nango.auth('zendesk', { timeoutMs: 5000 })"))
    note(await call("nango.auth('demo-api-key', { credentials: { apiKey: s['valid API key'] } })"))
    note(await call("nango.auth('demo-api-key', { credentials: { apiKey: s['wrong API key'] } })"))
    note(await call("nango.auth('demo-basic', { credentials: { username: 'demo', password: s['valid password'] } })"))
    note(await call("nango.auth('demo-basic', { credentials: { username: 'demo', password: s['wrong password'] } })"))
    note(await call("nango.auth('no-such-integration', { credentials: { apiKey: s['wrong API key'] } })"))
    note(await call("nango.auth('demo-basic', { credentials: { apiKey: s['wrong API key'] } })"))
    for (const kind of [
      { kind: 'status', status: 500, body: { error: { code: 'server_error', message: 'boom' } } },
      { kind: 'status', status: 429, retry_after: 1 },
      { kind: 'truncate' },
      { kind: 'drop' },
    ]) {
      await emu.addFaults([{ method: 'POST', path: '/api-auth/', count: 1, ...kind }])
      tally.faults++
      note(await call("nango.auth('demo-api-key', { credentials: { apiKey: s['wrong API key'] } })"))
    }
    note(await call(`(() => {
      const p = nango.auth('zendesk', { hmac: s.hmac, credentials: { oauth_client_id_override: 'client-id', oauth_client_secret_override: s['client secret override'] } })
      __real.setTimeout(() => nango.clear(), 1500)
      return p
    })()`))
    note(await call(`(() => {
      const p = nango.reconnect('zendesk', { params: { subdomain: 'acme' } })
      __real.setTimeout(() => nango.clear(), 800)
      return p
    })()`))
    note(await call(`new Nango({ host: '${emu.url}', publicKey: s['public key'], debug: true }).auth('zendesk', { timeoutMs: 1500, hmac: s.hmac })`))
    note(await call(`new Nango({ host: '${emu.url}', publicKey: s['public key'], debug: true }).auth('demo-api-key', { credentials: { apiKey: s['wrong API key'] } })`))
    note(await call("new Nango({ secretKey: s['secret key'], debug: true })"))
    note(await call("new Nango({ secretKey: s['secret key'], connectSessionToken: s['session token'], debug: true })"))
    note(await call("new Nango({ host: 'ftp://x', connectSessionToken: s['session token'], debug: true }).auth('zendesk')"))
    note(await call("new Nango({ host: 'ftp://x', connectSessionToken: s['session token'], debug: true }).auth('demo-api-key', { credentials: { apiKey: s['wrong API key'] } })"))
    // Connect UI receives the token by postMessage; nothing of it may be logged.
    note(await call(`new Promise((resolve) => {
      const ui = nango.openConnectUI({ baseURL: '${emu.url}/_connect', apiURL: '${emu.url}', onEvent: (e) => { if (e.type === 'ready') __real.setTimeout(() => { ui.close(); resolve('ready') }, 300) } })
    })`))
    tally.notes.push(`outcomes ${JSON.stringify(codes)}`)
    ensure(!codes.includes('hung'), `a call hung: ${JSON.stringify(codes)}`)
    ensure(codes.filter((c) => c === 'ok').length >= 4, `expected 4 successes: ${JSON.stringify(codes)}`)
    await waitReleased(page, 3000)
  } finally {
    await context.close()
  }

  const debug = consoleTexts.filter((m) => m.type === 'debug').length
  ensure(debug >= 5, `debug: true produced only ${debug} debug message(s): nothing was checked`)
  const texts = []
  for (const m of consoleTexts) texts.push([`console.${m.type}`, m.text])
  for (const e of log.pageErrors) texts.push(['page error', e])
  for (const out of outcomes) {
    const e = out.rejected ?? out.threw
    if (e) for (const [k, v] of Object.entries({ message: e.message, string: e.string, stack: e.stack, json: e.json, own: JSON.stringify(e.own) })) texts.push([`error ${k}`, v])
    if (out.resolved !== undefined) texts.push(['resolved value', JSON.stringify(out.resolved)])
  }
  tally.inputs = texts.length
  tally.notes.push(`${consoleTexts.length} console messages (${debug} debug), ${outcomes.length} calls, ${texts.length} texts checked`)
  const leaks = []
  for (const [label, secret] of Object.entries(secrets)) {
    for (const v of new Set([secret, secret.toUpperCase(), secret.replaceAll('-', ''), encodeURIComponent(secret)])) {
      for (const [where, text] of texts) {
        if (String(text).includes(v)) leaks.push(`${label} in ${where}: ${String(text).replaceAll(v, '<SECRET>').slice(0, 160)}`)
      }
    }
  }
  ensure(leaks.length === 0, () => `${leaks.length} leak(s): ${leaks.slice(0, 5).join(' | ')}`)
}
