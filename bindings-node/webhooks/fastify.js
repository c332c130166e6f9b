'use strict'
// @nango-rs/node/webhooks/fastify: a plugin that adds a webhook route with its own raw-body parser
// (encapsulated: the rest of the app keeps its JSON parser), and the bare route handler.
// Fastify is not a dependency: the plugin is a plain function Fastify calls.

const { verifyAndParse, rejectionBody, NangoWebhookBodyError, STATUS_MISCONFIGURED } = require('./index.js')

const FIX =
  'register the route with the plugin, which reads the raw bytes: ' +
  "app.register(nangoWebhookPlugin, { nango, path: '/webhooks', onWebhook }), or give the route's " +
  "plugin a buffer parser: instance.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body, done) => done(null, body))"

function nangoWebhookHandler(nango, onWebhook) {
  if (typeof onWebhook !== 'function') throw new TypeError('nangoWebhookHandler(nango, onWebhook): onWebhook must be a function')
  return async function nangoWebhookRoute(request, reply) {
    const body = request.body
    if (!Buffer.isBuffer(body) && typeof body !== 'string') {
      const err = new NangoWebhookBodyError(
        "the webhook body was already parsed by Fastify's JSON parser, so its signature cannot be checked: " + FIX,
      )
      return reply.code(STATUS_MISCONFIGURED).send({ error: err.code, message: err.message })
    }
    const result = verifyAndParse(nango, body, request.headers)
    if (!result.ok) return reply.code(result.status).send(rejectionBody(result))
    await onWebhook(result.webhook, request, reply)
    if (!reply.sent) return reply.code(result.status).send({ ok: true })
    return reply
  }
}

/** Options: `{ nango, onWebhook, path = '/webhooks' }`. */
async function nangoWebhookPlugin(instance, options) {
  const { nango, onWebhook, path = '/webhooks' } = options ?? {}
  // Only inside this plugin: every content type arrives as the bytes sent.
  instance.removeAllContentTypeParsers()
  instance.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body))
  instance.post(path, nangoWebhookHandler(nango, onWebhook))
}

module.exports = { nangoWebhookPlugin, nangoWebhookHandler, NangoWebhookBodyError }
