// The scenarios that do not apply to @nango-rs/frontend, each with the API it would need. The
// reason is not taken on trust: the loaded package (its exports and the Nango prototype) is
// checked for every name listed, so a package that grows one of these turns its cell into a
// failure that asks for the scenario.
import { withPage } from './support.mjs'

const RECORDS = ['listRecords', 'records', 'getRecords', 'recordsIterator']
const ACTIONS = ['triggerAction', 'triggerActionAsync', 'getAsyncActionResult']
const WEBHOOKS = ['verifyWebhookSignature', 'verifyIncomingWebhookRequest', 'parseWebhook', 'verifyWebhook']

export const NOT_APPLICABLE = {
  'paging-under-faults': { reason: 'the browser package has no records API (index.d.ts: auth, reconnect, create, clear, openConnectUI)', absent: RECORDS },
  'resume-from-checkpoint': { reason: 'no records API, so no checkpoint to resume from', absent: RECORDS },
  'rate-limit-respected': { reason: 'no records walk to keep under the limit; each call is one request, never retried', absent: RECORDS },
  'action-not-duplicated': { reason: 'no action API (actions need the secret key: backend only)', absent: ACTIONS },
  'concurrent-consumers': { reason: 'no records API, so no iterator for consumers to share', absent: RECORDS },
  'webhook-forgery': { reason: 'webhooks are verified server-side with the signing key, which never reaches a browser', absent: WEBHOOKS },
}

/** Scenario name -> the listed names the package does have (empty when still not applicable). */
export async function checkNotApplicable ({ browser, pages }) {
  return withPage(browser, pages, async ({ page }) => {
    const names = await page.evaluate(async () => {
      const mod = await import('/index.js')
      const own = new Set(Object.keys(mod))
      for (const cls of [mod.Nango, mod.default]) {
        for (let p = cls?.prototype; p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
          for (const k of Object.getOwnPropertyNames(p)) own.add(k)
        }
      }
      const instance = new mod.Nango({ connectSessionToken: 'nango_connect_session_x' })
      for (const k in instance) own.add(k)
      return [...own]
    })
    if (!names.includes('auth') || !names.includes('openConnectUI')) {
      throw new Error(`the package did not load as expected (names: ${names.join(', ')})`)
    }
    const found = {}
    for (const [name, { absent }] of Object.entries(NOT_APPLICABLE)) found[name] = absent.filter((n) => names.includes(n))
    return found
  })
}
