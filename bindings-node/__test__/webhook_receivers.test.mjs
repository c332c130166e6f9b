// The webhook receivers (@nango-rs/node/webhooks/*) in the real frameworks (Express, Fastify, Hono;
// the Next.js route handler with Web Requests): a genuine webhook from the emulator is accepted and
// reaches the handler typed; a one-byte change gets 401; a signed non-JSON body gets 400; a body a
// JSON parser already consumed gets 500 with `body_already_parsed` and the fix.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import express from 'express'
import Fastify from 'fastify'
import { Hono } from 'hono'
import {
  startWebhookEmulator, captureGenuineWebhook, deliverSyncWebhook, oneByteChanged, signedNonJson, post, listen, serveFetch,
} from './support/webhooks.mjs'

const require = createRequire(import.meta.url)
const { Nango } = require('../nango.js')
// Through the package's own subpath exports, as users import them.
const { verifyAndParse, NangoWebhookBodyError } = require('@nango-rs/node/webhooks')
const { nangoWebhook: expressWebhook } = require('@nango-rs/node/webhooks/express')
const { nangoWebhookPlugin, nangoWebhookHandler } = require('@nango-rs/node/webhooks/fastify')
const { nangoWebhook: honoWebhook } = require('@nango-rs/node/webhooks/hono')
const { createRouteHandler } = await import('@nango-rs/node/webhooks/next')

let emu
let nango
let genuine

before(async () => {
  emu = await startWebhookEmulator()
  nango = new Nango({ secretKey: emu.secretKey, host: emu.url, webhookSigningKey: emu.signingKey })
  genuine = await captureGenuineWebhook(emu)
})
after(async () => {
  await emu?.stop()
})

/** Each framework: `start(onWebhook)` serves POST /webhooks (the receiver) and POST /parsed (a JSON parser runs first). */
const FRAMEWORKS = {
  express: {
    fix: "express.raw({ type: 'application/json' })",
    async start(onWebhook) {
      const app = express()
      app.post('/webhooks', express.raw({ type: 'application/json' }), expressWebhook(nango, onWebhook))
      app.post('/parsed', express.json(), expressWebhook(nango, onWebhook))
      return listen(app)
    },
  },
  'express (no express.raw: the stream is read)': {
    fix: "express.raw({ type: 'application/json' })",
    async start(onWebhook) {
      const app = express()
      app.post('/webhooks', expressWebhook(nango, onWebhook))
      app.use(express.json())
      app.post('/parsed', expressWebhook(nango, onWebhook))
      return listen(app)
    },
  },
  fastify: {
    fix: 'nangoWebhookPlugin',
    async start(onWebhook) {
      const app = Fastify()
      await app.register(nangoWebhookPlugin, { nango, path: '/webhooks', onWebhook })
      // Outside the plugin, Fastify's JSON parser stays in force.
      app.post('/parsed', nangoWebhookHandler(nango, onWebhook))
      app.post('/json', async (request) => ({ echoed: request.body }))
      await app.listen({ port: 0, host: '127.0.0.1' })
      return { url: `http://127.0.0.1:${app.server.address().port}`, close: () => app.close() }
    },
  },
  hono: {
    fix: 'c.req.raw',
    async start(onWebhook) {
      const app = new Hono()
      // A JSON validator ahead of the receiver reads through c.req, which keeps the text: fine.
      app.post('/webhooks', async (c, next) => {
        await c.req.json().catch(() => null)
        await next()
      }, honoWebhook(nango, onWebhook))
      // Read from the Web Request itself: the bytes are gone.
      app.post('/parsed', async (c, next) => {
        await c.req.raw.json()
        await next()
      }, honoWebhook(nango, onWebhook))
      return serveFetch((request) => app.fetch(request))
    },
  },
  'next (route handler)': {
    fix: 'request.json()',
    async start(onWebhook) {
      const POST = createRouteHandler(nango, onWebhook)
      return serveFetch(async (request) => {
        const path = new URL(request.url).pathname
        if (path === '/parsed') await request.json()
        return POST(request)
      })
    },
  },
}

for (const [name, framework] of Object.entries(FRAMEWORKS)) {
  test(`${name}: genuine webhook accepted, one byte changed 401, non-JSON 400, parsed body a clear error`, async () => {
    const received = []
    const server = await framework.start(async (webhook) => {
      received.push(webhook)
    })
    try {
      // The emulator delivers to the receiver: answered 200 on the first attempt, handler called typed.
      const delivery = await deliverSyncWebhook(emu, `${server.url}/webhooks`)
      assert.deepEqual(delivery.attempts, ['200'])
      assert.equal(delivery.delivered, true)
      assert.equal(received.length, 1)
      assert.equal(received[0].type, 'sync')
      assert.equal(received[0].connectionId, 'conn-1')
      assert.equal(received[0].model, 'Ticket')

      // The captured genuine webhook, replayed, is accepted; one byte changed is refused.
      assert.equal((await post(`${server.url}/webhooks`, genuine)).status, 200)
      assert.equal(received.length, 2)
      const tampered = await post(`${server.url}/webhooks`, { body: oneByteChanged(genuine.body), headers: genuine.headers })
      assert.equal(tampered.status, 401)
      assert.equal(tampered.json.error, 'invalid_signature')
      const unsigned = await post(`${server.url}/webhooks`, { body: genuine.body, headers: { 'content-type': 'application/json' } })
      assert.equal(unsigned.status, 401)

      // Well signed but not a webhook.
      const notJson = await post(`${server.url}/webhooks`, signedNonJson(emu))
      assert.equal(notJson.status, 400)
      assert.equal(notJson.json.error, 'invalid_argument')
      assert.equal(received.length, 2)

      // A JSON parser consumed the body first: not a silent 401, an error naming the fix.
      const parsed = await post(`${server.url}/parsed`, genuine)
      assert.equal(parsed.status, 500)
      assert.equal(parsed.json.error, 'body_already_parsed')
      assert.ok(parsed.json.message.includes(framework.fix), parsed.json.message)
      assert.equal(received.length, 2)
    } finally {
      await server.close()
    }
  })
}

test('fastify: the plugin keeps its raw parser to itself', async () => {
  const app = Fastify()
  await app.register(nangoWebhookPlugin, { nango, onWebhook: () => {} })
  app.post('/json', async (request) => ({ echoed: request.body }))
  const res = await app.inject({ method: 'POST', url: '/json', payload: { a: 1 } })
  assert.deepEqual(res.json(), { echoed: { a: 1 } })
  const hook = await app.inject({ method: 'POST', url: '/webhooks', payload: genuine.body, headers: genuine.headers })
  assert.equal(hook.statusCode, 200)
  await app.close()
})

test('verifyAndParse: statuses, Headers objects, and a parsed body refused', () => {
  const ok = verifyAndParse(nango, genuine.body, new Headers(genuine.headers))
  assert.equal(ok.ok, true)
  assert.equal(ok.status, 200)
  assert.equal(ok.webhook.type, 'sync')
  assert.equal(verifyAndParse(nango, genuine.body.toString('utf8'), genuine.headers).status, 200)
  const bad = verifyAndParse(nango, oneByteChanged(genuine.body), genuine.headers)
  assert.deepEqual([bad.ok, bad.status, bad.code], [false, 401, 'invalid_signature'])
  assert.equal(verifyAndParse(nango, signedNonJson(emu).body, signedNonJson(emu).headers).status, 400)
  // A wrong key: 401 too.
  const other = new Nango({ secretKey: emu.secretKey, host: emu.url, webhookSigningKey: 'another-key' })
  assert.equal(verifyAndParse(other, genuine.body, genuine.headers).status, 401)
  assert.throws(() => verifyAndParse(nango, JSON.parse(genuine.body), genuine.headers), NangoWebhookBodyError)
})

test('an error thrown by the handler is the framework\'s, not a 401', async () => {
  const app = express()
  app.post('/webhooks', expressWebhook(nango, () => {
    throw new Error('handler failed')
  }))
  app.use((err, _req, res, _next) => res.status(503).json({ caught: err.message }))
  const server = await listen(app)
  try {
    const res = await post(`${server.url}/webhooks`, genuine)
    assert.equal(res.status, 503)
    assert.equal(res.json.caught, 'handler failed')
  } finally {
    await server.close()
  }
})
