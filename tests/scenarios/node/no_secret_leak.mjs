// no-secret-leak: see rust/src/scenarios/no_secret_leak.rs. In Node: every error's message,
// stack, util.inspect and JSON, the client's inspect/JSON/String, console output captured
// while the calls run, and an unhandled rejection's report.
import util from 'node:util'
import { CONNECTION, INTEGRATION, Nango, PARAMS, ensure } from './support.mjs'

export async function run (emu, tally) {
  const wrongKey = '0f0e0d0c-0b0a-4909-8807-060504030201'
  const secrets = [emu.secretKey, wrongKey, emu.signingKey]
  const texts = []
  const captured = []
  const originals = {}
  for (const k of ['log', 'info', 'warn', 'error', 'debug', 'trace']) {
    originals[k] = console[k]
    console[k] = (...args) => captured.push(util.format(...args))
  }
  const origWrite = process.stderr.write.bind(process.stderr)
  process.stderr.write = (chunk, ...rest) => { captured.push(String(chunk)); return origWrite(chunk, ...rest) }
  try {
    // The request records on, at debug, to the (captured) console.
    const nango = emu.client({ timeoutMs: 300, maxRetries: 1, logger: console, logLevel: 'debug' })
    const wrong = new Nango({ host: emu.url, secretKey: wrongKey, logger: console, logLevel: 'debug' })
    for (const c of [nango, wrong]) {
      texts.push(util.inspect(c, { showHidden: true, depth: 10 }), String(c), JSON.stringify(c) ?? '', Object.keys(c).join(','))
    }
    const config = { providerConfigKey: INTEGRATION, connectionId: CONNECTION, model: PARAMS.paging.model, limit: 5 }
    texts.push(JSON.stringify(await nango.listRecords(config)))
    const errors = []
    const fail = async (p) => { try { await p } catch (e) { errors.push(e) } }
    await fail(wrong.listRecords(config))
    const kinds = [
      { kind: 'status', status: 429, retry_after: 0 }, { kind: 'status', status: 503 },
      { kind: 'status', status: 500, body: { error: { code: 'server_error', message: 'boom' } } },
      { kind: 'drop' }, { kind: 'truncate' }, { kind: 'delay', ms: 2000 },
    ]
    for (const kind of kinds) {
      await emu.addFaults([{ path: '/records', count: 2, ...kind }])
      await fail(nango.listRecords(config))
      await emu.admin('DELETE', '/faults')
    }
    await emu.addFaults([{ path: '/action/trigger', count: 1, kind: 'truncate' }])
    await fail(nango.triggerAction(INTEGRATION, CONNECTION, 'echo'))
    await fail(nango.listRecords({ ...config, model: '' }))
    await fail(nango.listRecords({ ...config, connectionId: 'c\n' }))
    await fail(Promise.resolve().then(() => nango.parseWebhook('{}', { 'x-nango-hmac-sha256': '00' })))
    await fail(Promise.resolve().then(() => new Nango({ secretKey: emu.secretKey + '\n' })))
    const ac = new AbortController()
    const p = nango.listRecords(config, { signal: ac.signal })
    ac.abort()
    await fail(p)
    ensure(errors.length >= 10, `only ${errors.length} failures were provoked`)
    const codes = []
    for (const e of errors) {
      codes.push(e.nangoCode ?? e.name)
      texts.push(String(e), e.message, e.stack ?? '', util.inspect(e, { showHidden: true, depth: 10 }), JSON.stringify(e) ?? '')
      // What Node prints for an uncaught error (the same inspect path as `node` itself uses).
      texts.push(util.inspect(e))
    }
    tally.notes.push(`codes ${JSON.stringify(codes)}`)
    // Records are queued to the JS thread: let the last ones arrive.
    await new Promise((resolve) => setTimeout(resolve, 100))
    const logged = captured.join('\n')
    for (const field of ['nango: GET /records/ -> 429', 'nango: GET /records/ -> 503', "'http.request.method': 'GET'",
      "'url.path': '/records/'", "'http.response.status_code': 429", "'nango.attempt': 2", "'nango.retry.delay_ms'",
      "'nango.duration_ms'"]) {
      ensure(logged.includes(field), `the request log lacks ${field}`)
    }
  } finally {
    Object.assign(console, originals)
    process.stderr.write = origWrite
  }
  texts.push(...captured)
  tally.inputs = texts.length
  for (const secret of secrets) {
    for (const v of [secret, secret.toUpperCase(), secret.replaceAll('-', '')]) {
      const i = texts.findIndex((t) => t.includes(v))
      ensure(i < 0, () => `a secret appears in text #${i}: ${texts[i].replaceAll(v, '<SECRET>').slice(0, 300)}`)
    }
  }
}
