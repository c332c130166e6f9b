// @nango-rs/node/webhooks/express. Express is not a dependency: the types below are the parts of
// Express's request and response the middleware uses (an Express `Request`/`Response` fits them).
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Nango, NangoWebhook } from '../nango'

export { NangoWebhookBodyError } from './index'

/** The request as Express hands it; `body` is set by `express.raw()` (a `Buffer`) when mounted. */
export type ExpressLikeRequest = IncomingMessage & { body?: unknown }

/**
 * An Express middleware that reads the raw body, verifies it and calls `onWebhook` with the typed
 * webhook, then answers 200 (unless `onWebhook` answered itself). A bad signature gets 401, a body
 * that is not a webhook 400, both with `{ error, message }`; an error thrown by `onWebhook` goes
 * to `next(err)`.
 *
 * It reads the request stream itself, or takes the `Buffer` of `express.raw()`. When
 * `express.json()` (or another parser) consumed the body first, it answers 500 with
 * `body_already_parsed` and the fix: mount `express.raw({ type: 'application/json' })` on the
 * webhook route.
 *
 * ```ts
 * import { nangoWebhook } from '@nango-rs/node/webhooks/express'
 * app.post('/webhooks', express.raw({ type: 'application/json' }), nangoWebhook(nango, async (webhook) => {
 *   if (webhook.type === 'sync') await refresh(webhook.connectionId, webhook.model)
 * }))
 * ```
 */
export declare function nangoWebhook<Req extends ExpressLikeRequest = ExpressLikeRequest, Res extends ServerResponse = ServerResponse>(
  nango: Nango,
  onWebhook: (webhook: NangoWebhook, req: Req, res: Res) => unknown,
): (req: Req, res: Res, next: (err?: unknown) => void) => Promise<void>
