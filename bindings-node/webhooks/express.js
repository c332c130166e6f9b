'use strict'
// @nango-rs/node/webhooks/express: a middleware that verifies and parses Nango's webhooks.
// Express is not a dependency: this file only uses the request stream and `res` of node:http.

const { verifyAndParse, rejectionBody, NangoWebhookBodyError, STATUS_MISCONFIGURED } = require('./index.js')

const FIX =
  "mount express.raw({ type: 'application/json' }) on the webhook route, ahead of any express.json(): " +
  "app.post('/webhooks', express.raw({ type: 'application/json' }), nangoWebhook(nango, onWebhook)), " +
  'or register the webhook route before app.use(express.json())'

/** The raw bytes: `express.raw()`/`express.text()`'s result, else read from the untouched stream. */
async function rawBody(req) {
  if (Buffer.isBuffer(req.body) || typeof req.body === 'string') return req.body
  if (!req.readableEnded && req.readable !== false) {
    const chunks = []
    for await (const chunk of req) chunks.push(chunk)
    return Buffer.concat(chunks)
  }
  throw new NangoWebhookBodyError(
    'the webhook body was already read by a body parser (req.body is ' +
      (req.body === undefined ? 'undefined' : 'a parsed object') +
      '), so its signature cannot be checked: ' + FIX,
  )
}

function send(res, status, body) {
  res.statusCode = status
  res.setHeader('content-type', 'application/json')
  res.end(JSON.stringify(body))
}

function nangoWebhook(nango, onWebhook) {
  if (typeof onWebhook !== 'function') throw new TypeError('nangoWebhook(nango, onWebhook): onWebhook must be a function')
  return async function nangoWebhookMiddleware(req, res, next) {
    try {
      let body
      try {
        body = await rawBody(req)
      } catch (err) {
        if (!(err instanceof NangoWebhookBodyError)) throw err
        send(res, STATUS_MISCONFIGURED, { error: err.code, message: err.message })
        return
      }
      const result = verifyAndParse(nango, body, req.headers)
      if (!result.ok) {
        send(res, result.status, rejectionBody(result))
        return
      }
      await onWebhook(result.webhook, req, res)
      if (!res.headersSent) send(res, result.status, { ok: true })
    } catch (err) {
      next(err)
    }
  }
}

module.exports = { nangoWebhook, NangoWebhookBodyError }
