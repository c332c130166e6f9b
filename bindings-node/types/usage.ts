// Type-checked (tsc --noEmit), not run: typical uses of @nango-rs/node must compile, and misuse
// must not (the @ts-expect-error lines).
import { Nango, NangoApiError, NangoError, NangoRateLimitError, type NangoErrorResponse, type NangoRecord, type ListRecordsResponse } from '../nango.js'

interface Ticket {
  id: string
  title: string
  status: 'open' | 'closed'
}

export async function usage(): Promise<void> {
  const nango = new Nango({ secretKey: 'key', host: 'http://127.0.0.1:3003', timeoutMs: 5_000, maxRetries: 3 })

  const page: ListRecordsResponse<NangoRecord<Ticket>> = await nango.listRecords<Ticket>({
    providerConfigKey: 'zendesk',
    connectionId: 'c1',
    model: 'Ticket',
    limit: 100,
  })
  const title: string = page.records[0].title
  const cursor: string = page.records[0]._nango_metadata.cursor
  const next: string | null = page.next_cursor

  const walk = nango.records<NangoRecord<Ticket>>({ providerConfigKey: 'zendesk', connectionId: 'c1', model: 'Ticket' })
  for await (const ticket of walk) {
    const status: 'open' | 'closed' = ticket.status
    void status
  }
  const checkpoint: string | null = walk.checkpoint

  const output = await nango.triggerAction<{ title: string }, { id: string }>('zendesk', 'c1', 'create-ticket', { title: 'x' })
  const id: string = output.id
  const { data, status } = await nango.setMetadata('zendesk', 'c1', { plan: 'pro' })
  const proxied = await nango.get<{ ok: boolean }>({ endpoint: '/x', providerConfigKey: 'zendesk', connectionId: 'c1' })
  const ok: boolean = proxied.data.ok
  const signal = AbortSignal.timeout(1_000)
  await nango.getConnection('zendesk', 'c1', false, false, false, { signal })
  const valid: boolean = nango.verifyIncomingWebhookRequest('{}', { 'x-nango-hmac-sha256': 'abc' })
  const hook = nango.parseWebhook('{}', {})
  if (hook.type === 'sync') console.log(hook.type)

  try {
    await nango.listConnections({ userId: 'u1' })
  } catch (err) {
    if (err instanceof NangoRateLimitError) console.log(err.retryAfter)
    if (err instanceof NangoError) console.log(err.code, err.status)
    if (err instanceof NangoApiError) {
      // Code written for the official SDK's axios errors keeps working.
      const response: NangoErrorResponse = err.response
      const status: number = response.status
      console.log(status, response.data?.error?.code, response.headers['content-type'])
    }
  }

  // @ts-expect-error model is required
  await nango.listRecords({ providerConfigKey: 'zendesk', connectionId: 'c1' })
  // @ts-expect-error limit is a number
  await nango.listRecords({ providerConfigKey: 'zendesk', connectionId: 'c1', model: 'Ticket', limit: '10' })
  // Everything from NANGO_HOST / NANGO_SECRET_KEY; the limits in effect are readable.
  const fromEnv = new Nango()
  const limits: [number, number] = [fromEnv.timeoutMs, fromEnv.deadlineMs]
  new Nango({ apiKey: 'k', timeoutMs: 5_000, deadlineMs: 20_000 })
  // @ts-expect-error deadlineMs is a number
  new Nango({ apiKey: 'k', deadlineMs: '20s' })

  void [title, cursor, next, checkpoint, id, data, status, ok, valid, limits]
}
