// Type-checked (tsc --noEmit), not run: the data types generated from core's serde types
// (tools/typegen, the generated block of header.d.ts) as code reads them.
import { Nango, type Connection, type ConnectionSummary, type Integration, type SyncStatus, type NangoFunction } from '../nango.js'

export async function generatedTypes(nango: Nango): Promise<void> {
  const conn: Connection = await nango.getConnection('zendesk', 'c1')
  const created: string = conn.created_at
  const fetched: string | null = conn.last_fetched_at
  const logIds: string[] = conn.errors.map((error) => error.log_id)
  const orgId: string | undefined = conn.end_user?.organization?.id
  const tags: Record<string, string> = conn.tags
  // Open: a key this version does not name reads as `any`.
  const later: unknown = conn.a_key_added_later
  // @ts-expect-error created_at is a string
  const wrong: number = conn.created_at

  const { connections } = await nango.listConnections()
  const first: ConnectionSummary | undefined = connections[0]
  const since: string | undefined = first?.created

  const { configs } = await nango.listIntegrations()
  const integration: Integration | undefined = configs[0]
  const webhookUrl: string | null | undefined = integration?.webhook_url

  const { syncs } = await nango.syncStatus('zendesk', '*', 'c1')
  const status: SyncStatus | undefined = syncs[0]
  if (status?.status === 'PAUSED') console.log(status.nextScheduledSyncAt)
  const counts: number[] = Object.values(status?.recordCount ?? {})

  const { data } = await nango.getFunction({ uniqueKey: 'github', name: 'issues' })
  const fn: NangoFunction = data
  // @ts-expect-error a function's type is one of sync, action, on-event
  const kind: 'webhook' = fn.type

  void [created, fetched, logIds, orgId, tags, later, wrong, since, webhookUrl, counts, kind]
}
