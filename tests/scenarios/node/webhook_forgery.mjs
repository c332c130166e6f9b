// webhook-forgery: see rust/src/scenarios/webhook_forgery.rs. Headers are given as Node's
// IncomingHttpHeaders would hold them (names as received, repeated values as arrays).
import http from 'node:http'
import { CONNECTION, INTEGRATION, Nango, PARAMS, ensure, sleep } from './support.mjs'

const HMAC = 'x-nango-hmac-sha256'

function withHeader (headers, f) {
  const out = {}
  for (const [k, v] of Object.entries(headers)) {
    if (k.toLowerCase() === HMAC) Object.assign(out, f(v) ?? {})
    else out[k] = v
  }
  return out
}

export async function run (emu, tally) {
  const deliveries = []
  const server = http.createServer((req, res) => {
    const chunks = []
    req.on('data', (c) => chunks.push(c))
    req.on('end', () => {
      deliveries.push({ headers: { ...req.headers }, body: Buffer.concat(chunks) })
      res.end('ok')
    })
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  try {
    await emu.admin('PUT', '/webhook-url', { url: `http://127.0.0.1:${server.address().port}/hook` })
    await emu.admin('POST', '/provider/mutate', { integration: INTEGRATION, model: PARAMS.webhooks.model, add: 1 })
    await emu.admin('POST', '/sync/run', { provider_config_key: INTEGRATION, connection_id: CONNECTION, sync: PARAMS.webhooks.sync })
    const nango = emu.client()
    await nango.triggerActionAsync(INTEGRATION, CONNECTION, 'echo', { hook: true })
    for (let i = 0; i < 200 && deliveries.length < 2; i++) await sleep(50)
  } finally {
    server.close()
  }
  ensure(deliveries.length >= 2, `expected 2 webhooks, received ${deliveries.length}`)

  const nango = emu.client()
  const wrong = []
  let tried = 0
  const expect = (label, got, want) => { tried++; if (got !== want) wrong.push(label) }
  const kinds = []
  for (const [n, d] of deliveries.entries()) {
    const ok = (body, headers) => nango.verifyIncomingWebhookRequest(body, headers)
    const sig = d.headers[HMAC]
    expect(`#${n} real (Buffer)`, ok(d.body, d.headers), true)
    expect(`#${n} real (string)`, ok(d.body.toString('utf8'), d.headers), true)
    kinds.push(nango.parseWebhook(d.body, d.headers).type)
    for (const name of ['X-NANGO-HMAC-SHA256', 'X-Nango-Hmac-Sha256', 'x-NaNgO-hMaC-sHa256']) {
      expect(`#${n} name ${name}`, ok(d.body, withHeader(d.headers, (v) => ({ [name]: v }))), true)
    }
    expect(`#${n} upper-case hex`, ok(d.body, withHeader(d.headers, (v) => ({ [HMAC]: v.toUpperCase() }))), true)
    expect(`#${n} identical duplicate`, ok(d.body, withHeader(d.headers, (v) => ({ [HMAC]: [v, v] }))), true)
    for (const padded of [` ${sig}`, `${sig} `, `\t${sig}`]) {
      expect(`#${n} padded`, ok(d.body, withHeader(d.headers, () => ({ [HMAC]: padded }))), true)
    }
    const legacyOnly = withHeader(d.headers, () => null)
    expect(`#${n} legacy only`, ok(d.body, legacyOnly), false)
    const none = { ...legacyOnly }
    delete none['x-nango-signature']
    expect(`#${n} no signature`, ok(d.body, none), false)
    const forged = (sig[0] === '0' ? '1' : '0') + sig.slice(1)
    for (const pair of [[sig, forged], [forged, sig]]) {
      expect(`#${n} conflicting duplicate`, ok(d.body, withHeader(d.headers, () => ({ [HMAC]: pair }))), false)
    }
    for (let i = 0; i < sig.length; i++) {
      const s = sig.slice(0, i) + (sig[i] === 'a' ? 'b' : 'a') + sig.slice(i + 1)
      expect(`#${n} sig digit ${i}`, ok(d.body, withHeader(d.headers, () => ({ [HMAC]: s }))), false)
    }
    for (const bad of ['', sig.slice(0, 63), sig + '0', `sha256=${sig}`, `${sig.slice(0, 32)} ${sig.slice(32)}`, 'zz'.repeat(32), sig.slice(0, 32)]) {
      expect(`#${n} malformed ${JSON.stringify(bad)}`, ok(d.body, withHeader(d.headers, () => ({ [HMAC]: bad }))), false)
    }
    for (let i = 0; i < d.body.length; i++) {
      for (let bit = 0; bit < 8; bit++) {
        const b = Buffer.from(d.body)
        b[i] ^= 1 << bit
        expect(`#${n} flip ${i}.${bit}`, ok(b, d.headers), false)
      }
    }
    for (let len = 0; len < d.body.length; len++) expect(`#${n} prefix ${len}`, ok(d.body.subarray(0, len), d.headers), false)
    for (const suffix of ['\n', ' ', '{}', '\0', '\xff']) {
      expect(`#${n} suffix`, ok(Buffer.concat([d.body, Buffer.from(suffix, 'latin1')]), d.headers), false)
    }
    expect(`#${n} re-serialised`, ok(JSON.stringify(JSON.parse(d.body.toString('utf8')), null, 2), d.headers), false)
    // The parsed object, as the official docs' `req.body` snippet would pass: a TypeError, not `true`.
    tried++
    try {
      if (ok(JSON.parse(d.body.toString('utf8')), d.headers) === true) wrong.push('parsed object verified')
    } catch (e) {
      if (!(e instanceof TypeError)) wrong.push(`parsed object: ${e}`)
    }
    const key = emu.signingKey
    const flipped = key.slice(0, -1) + String.fromCharCode(key.charCodeAt(key.length - 1) ^ 1)
    for (const k of [emu.secretKey, key + ' ', key.toUpperCase(), key.slice(1), flipped]) {
      expect('wrong key', emu.client({ webhookSigningKey: k }).verifyIncomingWebhookRequest(d.body, d.headers), false)
    }
    const fallback = new Nango({ host: emu.url, secretKey: emu.secretKey })
    expect('secret-key fallback', fallback.verifyIncomingWebhookRequest(d.body, d.headers), false)
  }
  tally.inputs = tried
  tally.notes.push(`${deliveries.length} real webhooks (${kinds.join(', ')})`)
  ensure(wrong.length === 0, `${wrong.length} of ${tried} verdicts wrong, e.g. ${JSON.stringify(wrong.slice(0, 5))}`)
  ensure(kinds.includes('sync') && kinds.includes('async_action'), `payload kinds ${kinds}`)
}
