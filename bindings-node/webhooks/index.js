'use strict'
// @nango-rs/node/webhooks: the one receiver function every framework adapter (express.js,
// fastify.js, hono.js, next.js in this folder) calls. Core verifies the signature over the raw
// bytes and parses the payload (`nango.parseWebhook`); this file only turns the outcome into the
// HTTP answer a receiver gives: 200 with the typed webhook, 401 on a failed check, 400 on a body
// that is not a webhook.

const { NangoError } = require('../errors.js')

/** Verified and parsed: answer 200. */
const STATUS_OK = 200
/** The check failed (signature missing, malformed or not matching). */
const STATUS_BAD_SIGNATURE = 401
/** The signature matched, but the body is not a webhook (not JSON). */
const STATUS_NOT_A_WEBHOOK = 400

/**
 * The body was parsed before the receiver could read its bytes (`express.json()`, Fastify's JSON
 * parser, `c.req.json()`, `request.json()`): a parsed object cannot be verified, because turning it
 * back into text does not give the bytes Nango signed. Thrown by the adapters, with the fix in
 * the message; `code` is `body_already_parsed`.
 */
class NangoWebhookBodyError extends NangoError {
  constructor(message) {
    super(message, { code: 'body_already_parsed' })
    this.name = 'NangoWebhookBodyError'
  }
}

/** `Headers` (Fetch), Node's `IncomingHttpHeaders`, or any plain object: a plain object. */
function plainHeaders(headers) {
  if (headers != null && typeof headers.entries === 'function' && typeof headers.get === 'function') {
    return Object.fromEntries(headers.entries())
  }
  return headers ?? {}
}

/**
 * Verifies `rawBody` against the signature headers with the client's webhook signing key, then
 * parses it. Never throws for a bad request: the result says which status to answer.
 */
function verifyAndParse(nango, rawBody, headers) {
  if (typeof rawBody !== 'string' && !(rawBody instanceof Uint8Array)) {
    throw new NangoWebhookBodyError(
      `the webhook body must be the raw bytes (Buffer, Uint8Array or string), got ${describe(rawBody)}: ` +
        'a parsed body cannot be verified',
    )
  }
  try {
    return { ok: true, status: STATUS_OK, webhook: nango.parseWebhook(rawBody, plainHeaders(headers)) }
  } catch (err) {
    if (err?.code === 'invalid_signature') {
      return { ok: false, status: STATUS_BAD_SIGNATURE, code: err.code, message: err.message }
    }
    if (err?.code === 'invalid_argument') {
      return { ok: false, status: STATUS_NOT_A_WEBHOOK, code: err.code, message: err.message }
    }
    throw err
  }
}

/** The JSON body of a refusal: `{ error: code, message }`. */
function rejectionBody(result) {
  return { error: result.code, message: result.message }
}

/** A Fetch `Response` with a JSON body: what the Hono and Next.js adapters answer. */
function jsonResponse(status, body) {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })
}

/** The status of a `NangoWebhookBodyError`: the receiver is set up wrong, not the sender. */
const STATUS_MISCONFIGURED = 500

function describe(value) {
  if (value === null) return 'null'
  if (typeof value === 'object') return `an object (${value.constructor?.name ?? 'Object'})`
  return typeof value
}

module.exports = {
  verifyAndParse,
  rejectionBody,
  plainHeaders,
  jsonResponse,
  STATUS_MISCONFIGURED,
  NangoWebhookBodyError,
}
