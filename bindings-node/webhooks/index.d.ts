// @nango-rs/node/webhooks: the receiver function the framework adapters share.
import type { IncomingHeaders, Nango, NangoWebhook } from '../nango'
import { NangoError } from '../nango'

export type { NangoWebhook }

/** Headers as a framework hands them: Node's `req.headers`, a Fetch `Headers`, or a plain object. */
export type WebhookHeaders = IncomingHeaders | Headers

/** The outcome of {@link verifyAndParse}: the status a receiver answers, and the webhook or why not. */
export type WebhookResult =
  | { ok: true; status: 200; webhook: NangoWebhook }
  | {
      ok: false
      /** 401: the signature is missing, malformed or does not match; 400: the body is not a webhook (not JSON). */
      status: 400 | 401
      /** `invalid_signature` (401) or `invalid_argument` (400). */
      code: string
      /** Why, without the key or the signature. */
      message: string
    }

/**
 * Verifies `rawBody` (the bytes exactly as received) against `X-Nango-Hmac-Sha256` with the
 * client's webhook signing key (`webhookSigningKey`, else the secret key), then parses it into a
 * typed webhook. A bad request never throws: the result carries the status to answer.
 *
 * ```ts
 * const result = verifyAndParse(nango, rawBody, req.headers)
 * if (!result.ok) return res.status(result.status).end()
 * if (result.webhook.type === 'sync') console.log(result.webhook.model)
 * ```
 *
 * @throws {NangoWebhookBodyError} when `rawBody` is not a string, `Buffer` or `Uint8Array` (a parsed
 *   object cannot be verified).
 */
export declare function verifyAndParse(nango: Nango, rawBody: string | Uint8Array, headers: WebhookHeaders): WebhookResult

/** The JSON body a receiver answers with a refusal: `{ error: code, message }`. */
export declare function rejectionBody(result: WebhookResult & { ok: false }): { error: string; message: string }

/** A plain header object from a Fetch `Headers` (or the object itself). */
export declare function plainHeaders(headers: WebhookHeaders | null | undefined): IncomingHeaders

/** A Fetch `Response` with a JSON body. */
export declare function jsonResponse(status: number, body: unknown): Response

/** The status the adapters answer when the body was parsed before they could read it (500). */
export declare const STATUS_MISCONFIGURED: 500

/**
 * The body was parsed before the receiver read its bytes (`express.json()`, Fastify's JSON parser,
 * `c.req.json()`, `request.json()`). A parsed object cannot be verified: serialising it again does
 * not give back the bytes Nango signed. The message says how to fix the route; the adapters answer
 * it with status 500. `code` is `body_already_parsed`.
 */
export declare class NangoWebhookBodyError extends NangoError {}
