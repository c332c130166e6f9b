// The names ours exports because the official package does (`prodHost`, `getUserAgent`,
// `SyncConfigType`) and the deprecated `verifyWebhookSignature`: each is what its type says,
// and behaves as the official one.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { createHash } from 'node:crypto'
import { createServer } from 'node:http'

const require = createRequire(import.meta.url)
const official = require('@nangohq/node')
const ours = require('../nango.js')
const oursEsm = await import('../nango.mjs')

test('prodHost is the official one and the default host', () => {
  assert.equal(ours.prodHost, official.prodHost)
  assert.equal(oursEsm.prodHost, official.prodHost)
  const saved = process.env.NANGO_HOST
  delete process.env.NANGO_HOST
  try {
    assert.equal(new ours.Nango({ secretKey: 'sk' }).host, ours.prodHost)
  } finally {
    if (saved !== undefined) process.env.NANGO_HOST = saved
  }
})

test('SyncConfigType has the official members and values, frozen', () => {
  assert.deepEqual({ ...ours.SyncConfigType }, { ...official.SyncConfigType })
  assert.equal(oursEsm.SyncConfigType, ours.SyncConfigType)
  assert.ok(Object.isFrozen(ours.SyncConfigType))
})

test('getUserAgent is the User-Agent the client sends, with the caller part appended', async () => {
  const plain = ours.getUserAgent()
  assert.equal(typeof plain, 'string')
  assert.ok(plain.startsWith(`nango-rs/${ours.version()} (`), plain)
  assert.ok(plain.endsWith(`; node.js/${process.versions.node}`), plain)
  assert.equal(ours.getUserAgent('my-app/1.0'), `${plain}; my-app/1.0`)
  assert.equal(ours.getUserAgent(''), plain)
  assert.equal(oursEsm.getUserAgent(), plain)

  const seen = []
  const server = createServer((req, res) => {
    seen.push(req.headers['user-agent'])
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"data":[]}')
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  try {
    const nango = new ours.Nango({ secretKey: 'sk', host: `http://127.0.0.1:${server.address().port}` })
    await nango.listIntegrations()
  } finally {
    server.close()
  }
  assert.deepEqual(seen, [plain])
})

// First: Node warns once per process, whichever call comes first.
test('verifyWebhookSignature warns once that it is deprecated', async () => {
  const warnings = []
  const listener = (warning) => warnings.push(warning)
  process.on('warning', listener)
  try {
    const nango = new ours.Nango({ secretKey: 'sk' })
    nango.verifyWebhookSignature('00', {})
    nango.verifyWebhookSignature('00', {})
    await new Promise((resolve) => setImmediate(resolve))
  } finally {
    process.off('warning', listener)
  }
  const ours_ = warnings.filter((w) => w.code === 'NANGO_RS_VERIFY_WEBHOOK_SIGNATURE')
  assert.equal(ours_.length, 1)
  assert.equal(ours_[0].name, 'DeprecationWarning')
  assert.match(ours_[0].message, /verifyIncomingWebhookRequest/)
})

test('verifyWebhookSignature gives the official answer', () => {
  const legacy = (key, payload) => createHash('sha256').update(`${key}${JSON.stringify(payload)}`).digest('hex')
  const payloads = [
    { type: 'auth', connectionId: 'c1', success: true },
    { nested: { list: [1, 2.5, 'é', null], ok: false }, emoji: '🙂' },
    'a plain string',
    42,
    [],
    undefined,
  ]
  const configs = [
    { secretKey: 'sk-legacy' },
    { secretKey: 'sk-legacy', webhookSigningKey: 'whsec-1' },
    { apiKey: 'api-key', webhookSigningKey: 'whsec-2' },
  ]
  let checked = 0
  for (const config of configs) {
    const off = new official.Nango(config)
    const mine = new ours.Nango(config)
    const key = config.webhookSigningKey ?? config.secretKey
    for (const payload of payloads) {
      const good = legacy(key, payload)
      const cases = [good, legacy('other-key', payload), good.slice(1), '', 'zz'.repeat(32)]
      for (const signature of cases) {
        const expected = off.verifyWebhookSignature(signature, payload)
        assert.equal(mine.verifyWebhookSignature(signature, payload), expected, `${JSON.stringify(config)} ${String(JSON.stringify(payload))} ${signature}`)
        checked += expected ? 1 : 0
      }
      // The signature of the other payloads never matches this one.
      assert.equal(mine.verifyWebhookSignature(good, { other: payload }), false)
    }
  }
  assert.equal(checked, configs.length * payloads.length)
})

test('the native helpers behind these are not public', () => {
  assert.equal(ours.Nango.prototype.verifyLegacySignature, undefined)
  assert.equal('defaultHost' in ours, false)
  assert.equal('userAgent' in ours, false)
})
