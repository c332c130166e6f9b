// Type-checked (tsc --noEmit), not run: the webhook receivers with the frameworks' own types.
import Fastify from 'fastify'
import { Hono } from 'hono'
import { createServer } from 'node:http'
import { Nango } from '../nango.js'
import { verifyAndParse, NangoWebhookBodyError, type WebhookResult } from '../webhooks/index.js'
import { nangoWebhook as expressWebhook } from '../webhooks/express.js'
import { nangoWebhookPlugin, nangoWebhookHandler } from '../webhooks/fastify.js'
import { nangoWebhook as honoWebhook } from '../webhooks/hono.js'
import { createRouteHandler } from '../webhooks/next.js'

export async function webhookUsage(rawBody: Buffer, headers: Record<string, string>): Promise<void> {
  const nango = new Nango({ secretKey: 'key', webhookSigningKey: 'signing' })

  const result: WebhookResult = verifyAndParse(nango, rawBody, new Headers(headers))
  if (result.ok) {
    const type: string = result.webhook.type
    if (result.webhook.type === 'sync') console.log(type, result.webhook.model)
  } else {
    const status: 400 | 401 = result.status
    console.log(status, result.code, result.message)
  }
  // @ts-expect-error a parsed body cannot be verified
  verifyAndParse(nango, { type: 'sync' }, headers)
  const bodyError: NangoWebhookBodyError = new NangoWebhookBodyError('x')
  console.log(bodyError.code)

  // Express's middleware signature fits node:http too.
  const middleware = expressWebhook(nango, (webhook, req, res) => console.log(webhook.type, req.url, res.statusCode))
  createServer((req, res) => void middleware(req, res, () => {}))

  const fastify = Fastify()
  await fastify.register(nangoWebhookPlugin, { nango, path: '/webhooks', onWebhook: (webhook) => console.log(webhook.type) })
  fastify.post('/other', nangoWebhookHandler(nango, (webhook, request, reply) => console.log(webhook.type, request.headers, reply.sent)))

  const hono = new Hono()
  hono.post('/webhooks', honoWebhook(nango, async (webhook) => console.log(webhook.type)))

  const POST: (request: Request) => Promise<Response> = createRouteHandler(nango, async (webhook) => {
    if (webhook.type === 'auth') return new Response(null, { status: 204 })
    return undefined
  })
  console.log(POST)
}
