// The names @nangohq/node exports besides Nango, used as application code uses them.
import {
  Nango,
  prodHost,
  getUserAgent,
  SyncConfigType,
  type NangoProps,
  type ProxyConfiguration,
  type ListRecordsRequestConfig,
  type FilterAction,
  type CombinedFilterAction,
  type Metadata,
  type MetadataChangeResponse,
  type SyncStatus,
  type SyncStatusResponse,
  type StatusAction,
  type UpdateSyncFrequencyResponse,
  type HTTP_METHOD,
  type NangoSyncEndpointV2,
  type NangoSyncConfig,
  type StandardNangoConfig,
  type SyncResult,
  type NangoRecord,
  type RecordMetadata,
  type RecordLastAction,
  type ApiProvider,
  type ApiPublicConnectionFull,
  type ApiPublicIntegration,
  type GetPublicConnection,
  type GetPublicConnections,
  type GetPublicIntegration,
  type GetPublicListIntegrations,
  type GetPublicProvider,
  type GetPublicProviders,
  type GetPublicRecords,
  type PostConnectSessions,
  type PostPublicConnectSessionsReconnect,
} from '@nangohq/node'

// Runtime values.
export const host: string = prodHost
export const agent: string = getUserAgent('my-app/1.0')
export const plainAgent: string = getUserAgent()
export function isSync(kind: string): boolean {
  return kind === SyncConfigType.SYNC
}
export const actionKind: string = SyncConfigType.ACTION

// Constructor props, kept in a variable and passed on.
const props: NangoProps = {
  host: prodHost,
  apiKey: 'key',
  webhookSigningKey: 'whsec',
  connectionId: 'conn-1',
  providerConfigKey: 'github',
  isSync: false,
  isScript: false,
  dryRun: false,
  activityLogId: undefined,
}
const legacyProps: NangoProps = { secretKey: 'sk' }
export const clients = [new Nango(props), new Nango(legacyProps)]

// Proxy configuration: connectionId and providerConfigKey may come from the constructor; WebDAV
// methods are allowed.
export const defaults: ProxyConfiguration = { endpoint: '/remote.php/dav/files/me', method: 'PROPFIND', headers: { Depth: '1' } }
export const report: ProxyConfiguration = { endpoint: '/calendars/me', method: 'REPORT', data: '<xml/>', decompress: true }
export const lower: ProxyConfiguration = { endpoint: '/x', method: 'propfind', retryOn: null, params: { ids: ['1', '2'] } }
export const methods: HTTP_METHOD[] = ['GET', 'POST', 'PATCH', 'PUT', 'DELETE', 'PROPFIND', 'REPORT']
export async function proxyWithDefaults(): Promise<number> {
  const res = await clients[0]!.proxy(defaults)
  const got = await clients[0]!.get({ endpoint: '/status' })
  return res.status + got.status
}

// Records configuration and shapes.
const filters: FilterAction[] = ['added', 'UPDATED', 'deleted']
const combined: CombinedFilterAction = 'added,deleted'
export const recordsConfig: ListRecordsRequestConfig = {
  providerConfigKey: 'github',
  connectionId: 'conn-1',
  model: 'Issue',
  variant: 'v2',
  limit: 500,
  filter: filters[0] ?? combined,
  cursor: null,
  ids: ['1', '2'],
}
export function describeRecord(record: NangoRecord<{ title: string }>): string {
  const meta: RecordMetadata = record._nango_metadata
  const action: RecordLastAction = meta.last_action
  return `${record.title} ${action} ${meta.last_modified_at} ${meta.pruned_at ?? ''}`
}
export function recordsPage(page: GetPublicRecords['Success']): number {
  return page.records.filter((r) => r._nango_metadata.deleted_at === null).length + (page.next_cursor ? 1 : 0)
}
export type RecordsQuery = GetPublicRecords['Querystring']

// Metadata and sync shapes.
export const meta: Metadata = { team: 'core', seats: 3 }
export function metadataChanged(res: MetadataChangeResponse): string[] {
  return [res.provider_config_key, ...[res.connection_id].flat(), ...Object.keys(res.metadata)]
}
export function syncSummary(res: SyncStatusResponse): string[] {
  return res.syncs.map((s: SyncStatus) => {
    const latest: Record<string, StatusAction> = s.latestResult
    const counts = Object.values(latest).map((a) => a.added + a.updated + (a.deleted ?? 0))
    return `${s.id} ${s.name} ${s.status} ${s.frequency} ${s.nextScheduledSyncAt} ${counts.join('+')} ${JSON.stringify(s.recordCount)}`
  })
}
export function frequencyOf(res: UpdateSyncFrequencyResponse): string {
  return String(res.frequency)
}
export function resultTotal(r: SyncResult): number {
  return r.added + r.updated + r.deleted
}
export function endpointsOf(config: StandardNangoConfig): string[] {
  const all: NangoSyncConfig[] = [...config.syncs, ...config.actions]
  return all.flatMap((s) => s.endpoints.map((e: NangoSyncEndpointV2) => `${s.name}: ${e.method} ${e.path}`))
}

// Endpoint types, used through their parts.
export function connectionLine(c: ApiPublicConnectionFull): string {
  return `${c.connection_id} ${c.provider_config_key} ${c.provider} ${c.created_at} ${c.updated_at} ${c.end_user?.email ?? ''} ${c.errors.length}`
}
export type OneConnection = GetPublicConnection['Success']
export type ConnectionId = GetPublicConnection['Params']['connectionId']
export function connectionIds(res: GetPublicConnections['Success']): string[] {
  return res.connections.map((c) => `${c.connection_id}@${c.provider_config_key}`)
}
export type ConnectionsQuery = GetPublicConnections['Querystring']
export function integrationLine(i: ApiPublicIntegration): string {
  return `${i.unique_key} ${i.provider} ${i.display_name} ${i.logo} ${i.created_at}`
}
export type IntegrationInclude = GetPublicIntegration['Querystring']['include']
export function integrationKeys(res: GetPublicListIntegrations['Success']): string[] {
  return res.data.map((i) => i.unique_key)
}
export function oneIntegration(res: GetPublicIntegration['Success']): string {
  return res.data.provider
}
export function providerNames(res: GetPublicProviders['Success']): string[] {
  return res.data.map((p: ApiProvider) => `${p.name} ${p.display_name} ${p.auth_mode} ${p.logo_url}`)
}
export const providerSearch: GetPublicProviders['Querystring'] = { search: 'hub' }
export const providerParams: GetPublicProvider['Params'] = { provider: 'hubspot' }
export function providerName(res: GetPublicProvider['Success']): string {
  return res.data.name
}
export const sessionBody: PostConnectSessions['Body'] = { end_user: { id: 'user-1' }, allowed_integrations: ['github'] }
export function sessionToken(res: PostConnectSessions['Success']): string {
  return res.data.token
}
export const reconnectBody: PostPublicConnectSessionsReconnect['Body'] = { connection_id: 'conn-1', integration_id: 'github' }
export function reconnectLink(res: PostPublicConnectSessionsReconnect['Success']): string {
  return res.data.connect_link
}
