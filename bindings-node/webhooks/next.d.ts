// @nango-rs/node/webhooks/next: Web `Request` → `Response`, so also any Fetch-API runtime.
import type { Nango, NangoWebhook } from '../nango'

export { NangoWebhookBodyError } from './index'

/**
 * A Next.js App Router route handler (`app/webhooks/route.ts`): reads the raw body, verifies it,
 * calls `onWebhook` with the typed webhook and answers 200 (or the `Response` `onWebhook`
 * returns); 401 on a bad signature, 400 on a body that is not a webhook. When the `Request`'s body
 * was already read it answers 500 with `body_already_parsed` and the fix.
 *
 * ```ts
 * import { createRouteHandler } from '@nango-rs/node/webhooks/next'
 * export const POST = createRouteHandler(nango, async (webhook) => { … })
 * ```
 */
export declare function createRouteHandler(
  nango: Nango,
  onWebhook: (webhook: NangoWebhook, request: Request) => unknown,
): (request: Request) => Promise<Response>
