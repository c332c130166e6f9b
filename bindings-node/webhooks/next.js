'use strict'
// @nango-rs/node/webhooks/next: a Next.js App Router route handler, Web `Request` → `Response`.
// It uses only the Fetch API, so it serves any runtime that has it (Deno, Bun, Cloudflare Workers).

const { verifyAndParse, rejectionBody, jsonResponse, NangoWebhookBodyError, STATUS_MISCONFIGURED } = require('./index.js')

const FIX =
  'export the handler as the route itself (export const POST = createRouteHandler(nango, onWebhook)) ' +
  'and do not call request.json() or request.text() before it'

function createRouteHandler(nango, onWebhook) {
  if (typeof onWebhook !== 'function') throw new TypeError('createRouteHandler(nango, onWebhook): onWebhook must be a function')
  return async function POST(request) {
    if (request.bodyUsed) {
      const err = new NangoWebhookBodyError(
        'the webhook body was already read from this Request, so its signature cannot be checked: ' + FIX,
      )
      return jsonResponse(STATUS_MISCONFIGURED, { error: err.code, message: err.message })
    }
    const body = new Uint8Array(await request.arrayBuffer())
    const result = verifyAndParse(nango, body, request.headers)
    if (!result.ok) return jsonResponse(result.status, rejectionBody(result))
    const answer = await onWebhook(result.webhook, request)
    return answer instanceof Response ? answer : jsonResponse(result.status, { ok: true })
  }
}

module.exports = { createRouteHandler, NangoWebhookBodyError }
