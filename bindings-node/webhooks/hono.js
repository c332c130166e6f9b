'use strict'
// @nango-rs/node/webhooks/hono: a Hono handler that verifies and parses Nango's webhooks.
// Hono is not a dependency: the handler reads `c.req` and answers a Fetch `Response`.

const { verifyAndParse, rejectionBody, jsonResponse, NangoWebhookBodyError, STATUS_MISCONFIGURED } = require('./index.js')

const FIX =
  'middleware on the webhook route must read the body through c.req (c.req.json(), c.req.text(), which keep ' +
  "the text for later readers), never from c.req.raw, or not at all: app.post('/webhooks', nangoWebhook(nango, onWebhook))"

/**
 * The raw bytes: from Hono's body cache when a reader kept them (text or bytes), else from the
 * request. A cache of parsed values only (older Hono cached `json`) or a raw body read outside
 * Hono cannot give the signed bytes back, so those are refused.
 */
async function rawBody(req) {
  const cache = req.bodyCache ?? {}
  if (cache.arrayBuffer) return new Uint8Array(await cache.arrayBuffer)
  if (cache.text) return await cache.text
  if (Object.keys(cache).length > 0 || req.raw.bodyUsed) {
    throw new NangoWebhookBodyError(
      'the webhook body was already parsed on this request, so its signature cannot be checked: ' + FIX,
    )
  }
  return new Uint8Array(await req.arrayBuffer())
}

function nangoWebhook(nango, onWebhook) {
  if (typeof onWebhook !== 'function') throw new TypeError('nangoWebhook(nango, onWebhook): onWebhook must be a function')
  return async function nangoWebhookHandler(c) {
    let body
    try {
      body = await rawBody(c.req)
    } catch (err) {
      if (!(err instanceof NangoWebhookBodyError)) throw err
      return jsonResponse(STATUS_MISCONFIGURED, { error: err.code, message: err.message })
    }
    const result = verifyAndParse(nango, body, c.req.raw.headers)
    if (!result.ok) return jsonResponse(result.status, rejectionBody(result))
    const answer = await onWebhook(result.webhook, c)
    return answer instanceof Response ? answer : jsonResponse(result.status, { ok: true })
  }
}

module.exports = { nangoWebhook, NangoWebhookBodyError }
