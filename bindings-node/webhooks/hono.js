'use strict'
// @nango-rs/node/webhooks/hono: a Hono handler that verifies and parses Nango's webhooks.
// Hono is not a dependency: the handler reads `c.req` and answers a Fetch `Response`.

const { verifyAndParse, rejectionBody, jsonResponse, NangoWebhookBodyError, STATUS_MISCONFIGURED } = require('./index.js')

const FIX =
  'do not read the body (c.req.json(), a json validator) before this handler on the webhook route: ' +
  "app.post('/webhooks', nangoWebhook(nango, onWebhook))"

/** The raw bytes; Hono's body cache rebuilds them from parsed JSON, so that case is refused. */
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
