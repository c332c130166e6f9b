// bad-input: a table of invalid arguments to `new Nango(...)`, `auth()`, `create()`,
// `reconnect()` and `openConnectUI()` in Chromium. Each must throw or reject with a typed error
// (`AuthError` with the expected `.type`, or a `TypeError`) within 5 s — never resolve, hang,
// crash the wasm (a `RuntimeError`), raise an uncaught error in the page, leave a popup,
// socket, interval or listener behind, or send anything to a host other than 127.0.0.1.
// Absurd option values the package ignores must leave the flow cancellable (`clear()` →
// `cancelled`), never fire at once. A case marked `cold` runs in a fresh page, before the wasm
// core is loaded (the loader's own path: it opens the popup first).
import { describeCounts, ensure, openPage, sleep, waitReleased } from './support.mjs'

const T = 'with-token'
// [name, fn(ctx) run in the page, expected outcome, options]. Outcomes: 'TypeError',
// 'auth:<type>', 'auth:*' (any AuthError type: the server's verdict), 'ui-ok'. ctx: H (the
// emulator), T (a connect session token), S (a secret key), mk(config) (new Nango, cleared
// after the case), later(ms, fn).
const CASES = [
  // The constructor.
  ['ctor: secretKey', ({ mk, S }) => mk({ secretKey: S }), 'TypeError'],
  ['ctor: secret_key', ({ mk, S }) => mk({ secret_key: S }), 'TypeError'],
  ['ctor: secretKey beside a token', ({ mk, S, T }) => mk({ secretKey: S, connectSessionToken: T }), 'TypeError'],
  ['ctor: null config', ({ mk }) => mk(null), 'TypeError'],
  ['ctor: string config', ({ mk }) => mk('nango_connect_session_x'), 'TypeError'],
  ['ctor: number config', ({ mk }) => mk(42), 'TypeError'],
  // Missing, empty and wrong-typed tokens.
  ['auth: no token', ({ mk, H }) => mk({ host: H }).auth('zendesk'), 'auth:missing_auth_token'],
  ['auth: no config at all', ({ mk }) => mk().auth('zendesk'), 'auth:missing_auth_token'],
  ['auth: empty token', ({ mk, H }) => mk({ host: H, connectSessionToken: '' }).auth('zendesk'), 'auth:missing_auth_token'],
  ['auth: empty public key', ({ mk, H }) => mk({ host: H, publicKey: '' }).auth('zendesk'), 'auth:missing_auth_token'],
  ['auth: token of the wrong type', ({ mk, H }) => mk({ host: H, connectSessionToken: 42 }).auth('zendesk'), 'TypeError|auth:missing_auth_token'],
  ['auth: credentials without a token', ({ mk, H }) => mk({ host: H }).auth('demo-api-key', { credentials: { apiKey: 'k' } }), 'auth:missing_auth_token'],
  ['create: no token', ({ mk, H }) => mk({ host: H }).create('zendesk'), 'auth:missing_auth_token'],
  ['reconnect: no token', ({ mk, H }) => mk({ host: H }).reconnect('zendesk'), 'auth:missing_connect_session_token'],
  ['reconnect: public key only', ({ mk, H }) => mk({ host: H, publicKey: 'c0ffee00-0000-4000-8000-000000000001' }).reconnect('zendesk'), 'auth:missing_connect_session_token'],
  ['no token: cold', ({ mk, H }) => mk({ host: H }).auth('zendesk'), 'auth:missing_auth_token', { cold: true }],
  // Bad hosts (with a token: nothing may be sent anywhere).
  ['host: ftp', ({ mk, T }) => mk({ host: 'ftp://127.0.0.1/', connectSessionToken: T }).auth('zendesk'), 'auth:invalid_host_url'],
  ['host: not a URL', ({ mk, T }) => mk({ host: 'not a url', connectSessionToken: T }).auth('zendesk'), 'auth:invalid_host_url'],
  ['host: javascript:', ({ mk, T }) => mk({ host: 'javascript:alert(1)', connectSessionToken: T }).auth('zendesk'), 'auth:invalid_host_url'],
  ['host: file:', ({ mk, T }) => mk({ host: 'file:///etc/passwd', connectSessionToken: T }).auth('zendesk'), 'auth:invalid_host_url'],
  ['host: port out of range', ({ mk, T }) => mk({ host: 'http://127.0.0.1:99999', connectSessionToken: T }).auth('zendesk'), 'auth:invalid_host_url'],
  ['host: scheme only', ({ mk, T }) => mk({ host: 'http://', connectSessionToken: T }).auth('zendesk'), 'auth:invalid_host_url'],
  ['host: space in the name', ({ mk, T }) => mk({ host: 'http://127.0.0.1 x', connectSessionToken: T }).auth('zendesk', { timeoutMs: 2000 }), 'auth:*'],
  ['host: ftp, credential route', ({ mk, T }) => mk({ host: 'ftp://x', connectSessionToken: T }).auth('demo-api-key', { credentials: { apiKey: 'k' } }), 'auth:invalid_host_url'],
  ['host: ftp, create', ({ mk, T }) => mk({ host: 'ftp://x', connectSessionToken: T }).create('zendesk'), 'auth:invalid_host_url'],
  ['host: ftp, cold', ({ mk, T }) => mk({ host: 'ftp://x', connectSessionToken: T }).auth('zendesk'), 'auth:invalid_host_url', { cold: true }],
  ['host: a number', ({ mk, T }) => mk({ host: 123, connectSessionToken: T }).auth('demo-api-key', { credentials: { apiKey: 'k' } }), 'TypeError|auth:invalid_host_url'],
  ['host: an object', ({ mk, T }) => mk({ host: { href: 'http://127.0.0.1' }, connectSessionToken: T }).auth('zendesk', { timeoutMs: 2000 }), 'TypeError|auth:invalid_host_url'],
  ['websocketsPath: ftp URL', ({ mk, H, T }) => mk({ host: H, connectSessionToken: T, websocketsPath: 'ftp://127.0.0.1/' }).auth('zendesk', { timeoutMs: 2000 }), 'auth:*'],
  // Provider config keys.
  ['auth: key undefined, cold', ({ mk, H, T }) => mk({ host: H, connectSessionToken: T }).auth(undefined), 'TypeError', { cold: true }],
  ['auth: key undefined', ({ mk, H, T }) => mk({ host: H, connectSessionToken: T }).auth(undefined), 'TypeError'],
  ['auth: key null', ({ mk, H, T }) => mk({ host: H, connectSessionToken: T }).auth(null), 'TypeError'],
  ['auth: key a number', ({ mk, H, T }) => mk({ host: H, connectSessionToken: T }).auth(42), 'TypeError'],
  ['auth: key an object', ({ mk, H, T }) => mk({ host: H, connectSessionToken: T }).auth({ key: 'zendesk' }), 'TypeError'],
  ['create: key a number', ({ mk, H, T }) => mk({ host: H, connectSessionToken: T }).create(42), 'TypeError'],
  ['reconnect: key a number', ({ mk, H, T }) => mk({ host: H, connectSessionToken: T }).reconnect(42), 'TypeError'],
  ['auth: empty key (popup)', ({ mk, H, T }) => mk({ host: H, connectSessionToken: T }).auth(''), 'TypeError|auth:*'],
  ['reconnect: empty key (popup)', ({ mk, H, T }) => mk({ host: H, connectSessionToken: T }).reconnect(''), 'TypeError|auth:*'],
  ['auth: empty key (credentials)', ({ mk, H, T }) => mk({ host: H, connectSessionToken: T }).auth('', { credentials: { apiKey: 'k' } }), 'TypeError|auth:*'],
  ['create: empty key', ({ mk, H, T }) => mk({ host: H, connectSessionToken: T }).create(''), 'TypeError|auth:*'],
  ['auth: unknown integration (credentials)', ({ mk, H, T }) => mk({ host: H, connectSessionToken: T }).auth('no-such-integration', { credentials: { apiKey: 'k' } }), 'auth:unknown_provider_config'],
  ['auth: unknown integration (popup)', ({ mk, H, T }) => mk({ host: H, connectSessionToken: T }).auth('no-such-integration'), 'auth:unknown_config_key'],
  // Credentials of the wrong shape.
  ['credentials: apiKey a number', ({ mk, H, T }) => mk({ host: H, connectSessionToken: T }).auth('demo-api-key', { credentials: { apiKey: 42 } }), 'auth:invalid_body'],
  ['credentials: apiKey empty', ({ mk, H, T }) => mk({ host: H, connectSessionToken: T }).auth('demo-api-key', { credentials: { apiKey: '' } }), 'auth:*'],
  ['credentials: wrong apiKey', ({ mk, H, T }) => mk({ host: H, connectSessionToken: T }).auth('demo-api-key', { credentials: { apiKey: 'sk-wrong' } }), 'auth:connection_test_failed'],
  ['credentials: username only', ({ mk, H, T }) => mk({ host: H, connectSessionToken: T }).auth('demo-basic', { credentials: { username: 'demo' } }), 'auth:*'],
  ['credentials: apiKey for a basic integration', ({ mk, H, T }) => mk({ host: H, connectSessionToken: T }).auth('demo-basic', { credentials: { apiKey: 'k' } }), 'auth:invalid_auth_mode'],
  ['credentials: half an OAuth override', ({ mk, H, T }) => mk({ host: H, connectSessionToken: T }).auth('zendesk', { credentials: { oauth_client_id_override: 'id' } }), 'auth:missing_credentials'],
  ['credentials: JWT route (not served)', ({ mk, H, T }) => mk({ host: H, connectSessionToken: T }).auth('demo-api-key', { credentials: { privateKey: 'p' } }), 'auth:*'],
  ['credentials: TWO_STEP route (not served)', ({ mk, H, T }) => mk({ host: H, connectSessionToken: T }).auth('demo-api-key', { credentials: { type: 'TWO_STEP' } }), 'auth:*'],
  ['credentials: circular', ({ mk, H, T }) => { const c = { apiKey: 'sk-demo-valid' }; c.self = c; return mk({ host: H, connectSessionToken: T }).auth('demo-api-key', { credentials: c }) }, 'TypeError|auth:*'],
  ['credentials: a BigInt apiKey', ({ mk, H, T }) => mk({ host: H, connectSessionToken: T }).auth('demo-api-key', { credentials: { apiKey: 10n }, timeoutMs: 3000 }), 'TypeError|auth:missing_credentials|auth:invalid_body'],
  ['installation: outbound (not served)', ({ mk, H, T }) => mk({ host: H, connectSessionToken: T }).auth('zendesk', { installation: 'outbound' }), 'auth:*'],
  ['connection id with a session token', ({ mk, H, T }) => mk({ host: H, connectSessionToken: T }).auth('demo-basic', 'conn-1', { credentials: { username: 'demo', password: 'demo-password' } }), 'auth:invalid_query_params'],
  // Absurd timeouts and sizes: ignored values leave a flow that clear() cancels; small ones time out.
  // [label, the value's source]: each case is built as source, as the page evaluates it.
  ...[['-1', '-1'], ['NaN', 'NaN'], ['Infinity', 'Infinity'], ['a string', "'300'"], ['2^32+5', '2 ** 32 + 5'],
    ['2^32-1', '2 ** 32 - 1'], ['1e12', '1e12'], ['an object', '{}']].map(([label, value]) => [
    `timeoutMs ${label}`,
    new Function('ctx', `const n = ctx.mk({ host: ctx.H, connectSessionToken: ctx.T })
      const p = n.auth('zendesk', { timeoutMs: ${value} })
      ctx.later(600, () => n.clear())
      return p`),
    'auth:cancelled',
  ]),
  ['timeoutMs 0', ({ mk, H, T }) => mk({ host: H, connectSessionToken: T }).auth('zendesk', { timeoutMs: 0 }), 'auth:timeout'],
  ['timeoutMs 1', ({ mk, H, T }) => mk({ host: H, connectSessionToken: T }).auth('zendesk', { timeoutMs: 1 }), 'auth:timeout'],
  ['socketLostGraceMs -5 and NaN width', ({ mk, H, T, later }) => { const n = mk({ host: H, connectSessionToken: T, width: NaN, height: -1 }); const p = n.auth('zendesk', { socketLostGraceMs: -5 }); later(600, () => n.clear()); return p }, 'auth:cancelled'],
  ['width 1e9, height 2^40', ({ mk, H, T, later }) => { const n = mk({ host: H, connectSessionToken: T, width: 1e9, height: 2 ** 40 }); const p = n.auth('zendesk'); later(600, () => n.clear()); return p }, 'auth:cancelled'],
  // openConnectUI: it returns at once; a bad baseURL must not run anything in the page.
  ['openConnectUI: javascript: baseURL', ({ mk, T }) => {
    const ui = mk({ connectSessionToken: T }).openConnectUI({ baseURL: 'javascript:parent.__pwned=1//' })
    return new Promise((resolve) => __real.setTimeout(() => { ui.close(); resolve(window.__pwned ? 'script ran in the page' : 'ui-ok') }, 800))
  }, 'TypeError|auth:*|ui-ok'],
  ['openConnectUI: props null, no token', ({ mk }) => {
    const ui = mk({}).openConnectUI(null)
    return new Promise((resolve) => __real.setTimeout(() => { ui.close(); __real.setTimeout(() => resolve(document.querySelector('iframe') ? 'iframe left' : 'ui-ok'), 100) }, 300))
  }, 'TypeError|auth:*|ui-ok', { foreign: /^https:\/\/connect\.nango\.dev\// }],
  ['openConnectUI: onEvent a number, token a number', ({ mk, H }) => {
    const ui = mk({}).openConnectUI({ baseURL: H + '/_connect', apiURL: H, onEvent: 42, sessionToken: 42 })
    return new Promise((resolve) => __real.setTimeout(() => { ui.close(); resolve('ui-ok') }, 1500))
  }, 'TypeError|auth:*|ui-ok'],
  ['openConnectUI: setSessionToken(42)', ({ mk, H, T }) => {
    const ui = mk({ connectSessionToken: T }).openConnectUI({ baseURL: H + '/_connect', apiURL: H })
    // A TypeError from setSessionToken leaves the UI open, as any caller's error would: close it.
    try { ui.setSessionToken(42) } catch (e) { ui.close(); throw e }
    return new Promise((resolve) => __real.setTimeout(() => { ui.close(); resolve('ui-ok') }, 1000))
  }, 'TypeError|auth:*|ui-ok'],
]

/** Installs the page-side context (once per page). */
async function prepare (page, emu, token) {
  await page.evaluate(({ H, T, S }) => {
    window.made = []
    window.ctx = {
      H, T, S,
      mk: (...args) => { const n = new Nango(...args); window.made.push(n); return n },
      later: (ms, fn) => __real.setTimeout(fn, ms),
    }
  }, { H: emu.url, T: token, S: emu.secretKey })
}

function matches (outcome, expected) {
  const e = outcome.threw ?? outcome.rejected
  for (const alt of expected.split('|')) {
    if (alt === 'TypeError' && e?.isTypeError && !e.isAuthError) return true
    if (alt === 'ui-ok' && outcome.resolved === 'ui-ok') return true
    if (alt.startsWith('auth:') && e?.isAuthError && typeof e.type === 'string' && e.type &&
      (alt === 'auth:*' || e.type === alt.slice(5))) return true
  }
  return false
}

function show (outcome) {
  if (outcome.hung) return 'still pending after 5 s'
  if (outcome.resolved !== undefined) return `resolved ${JSON.stringify(outcome.resolved)}`
  if (outcome.returned !== undefined) return `returned ${outcome.returned}`
  const e = outcome.threw ?? outcome.rejected
  return `${outcome.threw ? 'threw' : 'rejected'} ${e.ctor}${e.type ? `(${e.type})` : ''}: ${e.message.slice(0, 80)}`
}

export async function run ({ emu, browser, pages }, tally) {
  const token = await emu.sessionToken()
  const failures = []
  const kinds = {}
  let warm = null
  try {
    for (const [name, fn, expected, options = {}] of CASES) {
      let opened = warm
      if (options.cold || !opened) {
        opened = await openPage(browser, pages)
        await prepare(opened.page, emu, T === 'with-token' ? token : '')
        if (!options.cold) warm = opened
      }
      const { page, log } = opened
      const before = { foreign: log.foreign.length, errors: log.pageErrors.length, unhandled: await page.evaluate(() => window.unhandled.length) }
      const outcome = await page.evaluate(async (src) => {
        const fn = (0, eval)('(' + src + ')')
        const out = await window.attempt(() => fn(window.ctx), 5000)
        for (const n of window.made.splice(0)) n.clear()
        return out
      }, fn.toString())
      tally.inputs++
      const problems = []
      if (!matches(outcome, expected)) problems.push(`expected ${expected}, ${show(outcome)}`)
      const e = outcome.threw ?? outcome.rejected
      const kind = outcome.hung ? 'hung' : e ? (e.isAuthError ? e.type : e.ctor) : 'ok'
      kinds[kind] = (kinds[kind] ?? 0) + 1
      const counts = await waitReleased(page, 2500)
      if (Object.values(counts).some((n) => n > 0)) problems.push(`left behind: ${describeCounts(counts)}`)
      const unhandled = await page.evaluate((from) => window.unhandled.slice(from), before.unhandled)
      if (unhandled.length) problems.push(`unhandled rejection in the page: ${unhandled.join('; ').slice(0, 120)}`)
      if (log.pageErrors.length > before.errors) problems.push(`uncaught error in the page: ${log.pageErrors.slice(before.errors).join('; ').slice(0, 120)}`)
      const foreign = log.foreign.slice(before.foreign).filter((u) => !options.foreign?.test(u))
      if (foreign.length) problems.push(`sent to a foreign host: ${foreign.map((u) => u.replace(/\?.*/, '?…')).join(', ')}`)
      if (problems.length) failures.push(`${name}: ${problems.join('; ')}`)
      if (options.cold) await opened.context.close()
      else if (problems.length) {
        // A case that left something behind must not blame the next one.
        await opened.context.close()
        warm = null
      }
      await sleep(0)
    }
  } finally {
    if (warm) await warm.context.close()
  }
  tally.notes.push(`outcomes ${JSON.stringify(kinds)}`)
  if (failures.length) tally.notes.push(...failures)
  ensure(failures.length === 0, () => `${failures.length} of ${CASES.length} inputs misbehaved: ${failures.join(' | ')}`)
}
