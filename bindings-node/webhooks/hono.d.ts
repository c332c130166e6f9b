// @nango-rs/node/webhooks/hono. Hono is not a dependency: the types below are the parts of Hono's
// `Context` the handler uses (Hono's own `Context` fits them).
import type { Nango, NangoWebhook } from '../nango'

export { NangoWebhookBodyError } from './index'

/** The parts of a Hono `Context` the handler reads. */
export interface HonoLikeContext {
  req: { raw: Request; arrayBuffer(): Promise<ArrayBuffer> }
}

/**
 * A Hono handler: reads the raw body, verifies it, calls `onWebhook` with the typed webhook and
 * answers 200 (or the `Response` `onWebhook` returns); 401 on a bad signature, 400 on a body that
 * is not a webhook. Middleware may read the body through `c.req` (`c.req.json()`, a JSON validator:
 * Hono keeps the text); when it was read from `c.req.raw` instead, the handler answers 500 with
 * `body_already_parsed` and the fix.
 *
 * ```ts
 * import { nangoWebhook } from '@nango-rs/node/webhooks/hono'
 * app.post('/webhooks', nangoWebhook(nango, async (webhook) => { … }))
 * ```
 */
export declare function nangoWebhook<C extends HonoLikeContext>(
  nango: Nango,
  onWebhook: (webhook: NangoWebhook, c: C) => unknown,
): (c: C) => Promise<Response>
