// bad-input: see rust/src/scenarios/bad_input.rs, plus what only JS can pass: wrong types,
// fractional and huge numbers, BigInt and circular inputs, missing arguments. Expected: a
// NangoError with the listed code, or a TypeError for values of the wrong JS type; never a
// success, a crash, or another error class.
import { CONNECTION, INTEGRATION, Nango, NangoError, PARAMS, ensure } from './support.mjs'

const ARG = ['invalid_argument']
const INVALID = ['validation']
const TYPE = ['TypeError']

export async function run (emu, tally) {
  const nango = emu.client({ maxRetries: 0 })
  const base = { providerConfigKey: INTEGRATION, connectionId: CONNECTION, model: PARAMS.paging.model }
  const wrong = []
  const codes = {}
  let tried = 0
  async function check (label, fn, allowed) {
    tried++
    let value
    try {
      value = await fn()
    } catch (err) {
      const code = err instanceof NangoError ? err.nangoCode : err?.constructor?.name ?? typeof err
      codes[code] = (codes[code] ?? 0) + 1
      if (!(err instanceof NangoError) && !(err instanceof TypeError)) wrong.push(`${label}: untyped ${err}`)
      else if (!allowed.includes(code)) wrong.push(`${label}: ${code} (${err.message}), expected ${allowed}`)
      return
    }
    wrong.push(`${label}: succeeded with ${JSON.stringify(value)?.slice(0, 80)}`)
  }

  const lr = [
    ['empty model', { model: '' }, ARG],
    ['empty connection', { connectionId: '' }, ARG],
    ['empty integration', { providerConfigKey: '' }, ARG],
    ['newline in connection', { connectionId: 'a\nb' }, ARG],
    ['non-Latin-1 connection', { connectionId: 'conn-\u0100' }, ARG],
    ['lower-case model', { model: 'ticket' }, INVALID],
    ['limit 0', { limit: 0 }, INVALID],
    ['limit 10001', { limit: 10001 }, INVALID],
    ['date not a date', { modifiedAfter: 'not-a-date' }, INVALID],
    ['date month 13', { modifiedAfter: '2026-13-45T00:00:00Z' }, INVALID],
    ['date too old', { modifiedAfter: '2001-01-01T00:00:00Z' }, INVALID],
    ['delta garbage', { delta: 'yesterday' }, INVALID],
    ['filter bogus', { filter: 'bogus' }, INVALID],
    ['variant invalid', { variant: 'bad variant!' }, INVALID],
    ['101 ids', { ids: Array.from({ length: 101 }, (_, i) => String(i)) }, INVALID],
    ['cursor not base64', { cursor: '%%%not-base64' }, ['server_error', 'validation']],
    ['unknown connection', { connectionId: 'no-such-conn' }, ['unknown_connection']],
    // Wrong JS types and numbers a u32 cannot hold.
    ['model number', { model: 5 }, TYPE.concat(ARG)],
    ['model null', { model: null }, TYPE.concat(ARG)],
    ['limit string', { limit: 'ten' }, TYPE.concat(ARG)],
    ['limit negative', { limit: -1 }, TYPE.concat(ARG)],
    ['limit fractional', { limit: 1.5 }, TYPE.concat(ARG)],
    ['limit 1e12', { limit: 1e12 }, TYPE.concat(ARG)],
    ['limit NaN', { limit: NaN }, TYPE.concat(ARG)],
    ['ids string', { ids: 'a' }, TYPE.concat(ARG)],
    ['ids numbers', { ids: [1, 2] }, TYPE.concat(ARG)],
    ['cursor object', { cursor: { a: 1 } }, TYPE.concat(ARG)],
  ]
  for (const [label, patch, allowed] of lr) await check(`listRecords ${label}`, () => nango.listRecords({ ...base, ...patch }), allowed)
  await check('listRecords no config', () => nango.listRecords(), TYPE.concat(ARG))
  await check('listRecords string config', () => nango.listRecords('Ticket'), TYPE.concat(ARG))
  await check('records() empty model', () => nango.records({ ...base, model: '' }).next(), TYPE.concat(ARG))
  await check('listRecords options not object', () => nango.listRecords(base, 5), TYPE)

  const circular = {}
  circular.self = circular
  await check('triggerAction empty name', () => nango.triggerAction(INTEGRATION, CONNECTION, ''), ARG)
  await check('triggerAction bad name', () => nango.triggerAction(INTEGRATION, CONNECTION, 'bad name!'), INVALID)
  await check('triggerAction unknown', () => nango.triggerAction(INTEGRATION, CONNECTION, 'no-such-action'), ['not_found'])
  await check('triggerAction non-object input', () => nango.triggerAction(INTEGRATION, CONNECTION, 'create-ticket', [1, 2]), INVALID)
  await check('triggerAction BigInt input', () => nango.triggerAction(INTEGRATION, CONNECTION, 'echo', { n: 10n }), TYPE.concat(ARG))
  await check('triggerAction circular input', () => nango.triggerAction(INTEGRATION, CONNECTION, 'echo', circular), TYPE.concat(ARG))
  await check('triggerAction function input', () => nango.triggerAction(INTEGRATION, CONNECTION, 'echo', () => 1), TYPE.concat(ARG, INVALID))
  await check('triggerAction number ids', () => nango.triggerAction(1, 2, 3), TYPE.concat(ARG))
  await check('triggerAction CRLF connection', () => nango.triggerAction(INTEGRATION, 'x\r\nInjected: 1', 'echo'), ARG)
  await check('getConnection empty id', () => nango.getConnection(INTEGRATION, ''), ARG)
  await check('getConnection path tricks', () => nango.getConnection(INTEGRATION, '../../_emulator/counters'), ['not_found', 'unknown_connection'])
  await check('getConnection boolean as string', () => nango.getConnection(INTEGRATION, CONNECTION, 'yes'), TYPE.concat(ARG))
  await check('getAsyncActionResult nothing', () => nango.getAsyncActionResult({}), ARG)
  await check('getAsyncActionResult foreign host', () => nango.getAsyncActionResult({ statusUrl: 'http://evil.example/action/1' }), ARG)
  await check('getAsyncActionResult unknown id', () => nango.getAsyncActionResult({ id: 'not-a-uuid' }), ['not_found'])

  for (const [label, cfg] of [
    ['no config', undefined], ['empty config', {}], ['key number', { secretKey: 5 }],
    ['both keys', { secretKey: emu.secretKey, apiKey: emu.secretKey }], ['empty key', { secretKey: '' }],
    ['key with newline', { secretKey: 'abc\ndef' }], ['host not a url', { secretKey: emu.secretKey, host: 'not a url' }],
    ['ftp host', { secretKey: emu.secretKey, host: 'ftp://127.0.0.1' }], ['timeout negative', { secretKey: emu.secretKey, timeoutMs: -1 }],
    ['timeout huge', { secretKey: emu.secretKey, timeoutMs: 1e15 }], ['retries fractional', { secretKey: emu.secretKey, maxRetries: 1.5 }],
    ['empty signing key', { secretKey: emu.secretKey, webhookSigningKey: '' }],
  ]) await check(`new Nango ${label}`, () => new Nango(cfg), TYPE.concat(ARG))

  const key = emu.signingKey
  const { createHmac } = await import('node:crypto')
  for (const [label, body] of [['non-UTF-8 body', Buffer.from([0xff, 0xfe, 0x7b, 0x80])], ['not JSON', Buffer.from('hello')], ['empty body', Buffer.alloc(0)]]) {
    const sig = createHmac('sha256', key).update(body).digest('hex')
    const headers = { 'x-nango-hmac-sha256': sig }
    await check(`parseWebhook ${label}`, () => nango.parseWebhook(body, headers), ARG)
    tried++
    if (nango.verifyIncomingWebhookRequest(body, headers) !== true) wrong.push(`verify ${label}: a correctly signed body must verify`)
  }
  await check('parseWebhook unsigned', () => nango.parseWebhook(Buffer.from([0xc3, 0x28]), { 'x-nango-hmac-sha256': '00' }), ['invalid_signature'])
  await check('verify headers not object', () => nango.verifyIncomingWebhookRequest('{}', 'x'), TYPE)
  await check('verify body number', () => nango.verifyIncomingWebhookRequest(42, {}), TYPE)

  tally.inputs = tried
  tally.notes.push(`codes ${JSON.stringify(codes)}`)
  ensure(wrong.length === 0, `${wrong.length} of ${tried} inputs handled wrongly: ${JSON.stringify(wrong)}`)
}
