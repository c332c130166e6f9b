// @nango-rs/node/webhooks/fastify. Fastify is not a dependency: the types below are the parts of
// Fastify's instance, request and reply the plugin uses (Fastify's own types fit them).
import type { IncomingHttpHeaders } from 'node:http'
import type { Nango, NangoWebhook } from '../nango'

export { NangoWebhookBodyError } from './index'

/** The parts of a `FastifyRequest` the handler reads. */
export interface FastifyLikeRequest {
  body: unknown
  headers: IncomingHttpHeaders
}

/** The parts of a `FastifyReply` the handler uses. */
export interface FastifyLikeReply {
  code(statusCode: number): FastifyLikeReply
  send(payload?: unknown): FastifyLikeReply
  readonly sent: boolean
}

/** Options of {@link nangoWebhookPlugin}. */
export interface NangoWebhookPluginOptions<Req = FastifyLikeRequest, Reply = FastifyLikeReply> {
  /** The client whose webhook signing key verifies the requests. */
  nango: Nango
  /** Called with each verified webhook; the route answers 200 after it unless it replied itself. */
  onWebhook: (webhook: NangoWebhook, request: Req, reply: Reply) => unknown
  /** The route's path; `/webhooks` by default. */
  path?: string
}

/**
 * A Fastify plugin adding `POST path` whose body arrives as raw bytes (a parser for every content
 * type, inside this plugin only: the rest of the app keeps Fastify's JSON parser). Answers 200
 * after `onWebhook`, 401 on a bad signature, 400 on a body that is not a webhook.
 *
 * ```ts
 * import { nangoWebhookPlugin } from '@nango-rs/node/webhooks/fastify'
 * await app.register(nangoWebhookPlugin, { nango, path: '/webhooks', onWebhook: async (webhook) => { … } })
 * ```
 */
export declare function nangoWebhookPlugin(instance: any, options: NangoWebhookPluginOptions<any, any>): Promise<void>

/**
 * The bare route handler, for a route whose plugin already parses bodies as a `Buffer`. On a route
 * where Fastify's JSON parser ran it answers 500 with `body_already_parsed` and the fix.
 */
export declare function nangoWebhookHandler<Req extends FastifyLikeRequest, Reply extends FastifyLikeReply>(
  nango: Nango,
  onWebhook: (webhook: NangoWebhook, request: Req, reply: Reply) => unknown,
): (request: Req, reply: Reply) => Promise<Reply>
