// Every public method of the official Nango class, called the way an application calls it.
// Compiled (never run) against @nangohq/node and, with only the import specifier changed,
// against @nango-rs/node.
import { Nango } from '@nangohq/node'

const nango = new Nango({ secretKey: 'sk-test', host: 'http://127.0.0.1:3003' })

export async function providers(): Promise<string[]> {
  const all = await nango.listProviders({ search: 'git' })
  const one = await nango.getProvider({ provider: 'github' })
  const templates = await nango.getProviderTemplates({ provider: 'github' })
  return [...all.data.map((p) => p.name), one.data.name, ...templates.data.map((t) => t.name)]
}

export async function integrations(): Promise<number> {
  const { configs } = await nango.listIntegrations()
  const got = await nango.getIntegration({ uniqueKey: 'github' }, { include: ['webhook', 'credentials'] })
  const made = await nango.createIntegration({
    provider: 'github',
    unique_key: 'github-two',
    display_name: 'GitHub (second)',
    credentials: { type: 'OAUTH2', client_id: 'id', client_secret: 'secret', scopes: 'repo' },
  })
  const quick = await nango.createQuickstartIntegration({ provider: 'hubspot', unique_key: 'hubspot-quick' })
  const renamed = await nango.updateIntegration({ uniqueKey: 'github-two' }, { display_name: 'GitHub 2' })
  const removed = await nango.deleteIntegration('github-two')
  const names: string[] = [got.data.unique_key, made.data.provider, quick.data.display_name ?? "", renamed.data.unique_key]
  return configs.length + names.length + removed.status
}

export async function functions(): Promise<string> {
  const page = await nango.listFunctions({ uniqueKey: 'github' }, { type: 'sync', limit: 20, page: 0 })
  const fn = await nango.getFunction({ uniqueKey: 'github', name: 'issues' }, { type: 'sync' })
  const code = await nango.getFunctionCode({ uniqueKey: 'github', name: 'issues' })
  const gone = await nango.deleteFunction({ uniqueKey: 'github', name: 'issues' }, { type: 'action' })
  return `${page.data.length} ${fn.data.name} ${code.code.length} ${gone.data.success}`
}

export async function connections(): Promise<unknown[]> {
  const legacy = await nango.listConnections('conn-1', 'acme', { endUserId: 'user-1', limit: 10 })
  const filtered = await nango.listConnections({ userId: 'user-1', integrationId: ['github', 'slack'], tags: { team: 'core' } })
  const conn = await nango.getConnection('github', 'conn-1', true, true)
  const patched = await nango.patchConnection(
    { connectionId: 'conn-1', provider_config_key: 'github' },
    { tags: { plan: 'pro' }, end_user: { id: 'user-1', email: 'u@example.com' } },
  )
  const token = await nango.getToken('github', 'conn-1', false, true)
  const raw = await nango.getRawTokenResponse('github', 'conn-1')
  const removed = await nango.deleteConnection('github', 'conn-1')
  const first = legacy.connections[0]
  return [first?.connection_id, filtered.connections.length, conn.provider_config_key, conn.credentials, patched.success, token, raw, removed.status]
}

export async function metadata(): Promise<unknown> {
  const before = await nango.getMetadata('github', 'conn-1')
  const set = await nango.setMetadata('github', 'conn-1', { plan: 'pro' })
  const updated = await nango.updateMetadata('github', ['conn-1', 'conn-2'], { seats: 3 })
  return [before, set.status, set.data, updated.data]
}

export async function scripts(): Promise<number> {
  const config = await nango.getScriptsConfig('nango')
  const openai = await nango.getScriptsConfig('openai')
  const vars = await nango.getEnvironmentVariables()
  const count = Array.isArray(config) ? config.length : config.data.length
  return count + (Array.isArray(openai) ? 0 : openai.data.length) + vars.filter((v) => v.name.startsWith('APP_')).length
}

export async function records(): Promise<number> {
  const page = await nango.listRecords({ providerConfigKey: 'github', connectionId: 'conn-1', model: 'Issue', limit: 100 })
  const pruned = await nango.pruneRecords({
    providerConfigKey: 'github',
    connectionId: 'conn-1',
    model: 'Issue',
    untilCursor: page.next_cursor ?? '',
    limit: 500,
  })
  return page.records.length + pruned.count + (pruned.has_more ? 1 : 0)
}

export async function syncs(): Promise<string[]> {
  await nango.triggerSync('github', ['issues'], 'conn-1', { reset: true })
  await nango.triggerSync('github', [{ name: 'issues', variant: 'v2' }], undefined, 'full_refresh')
  await nango.triggerSync('github')
  await nango.startSync('github', ['issues'], 'conn-1')
  await nango.pauseSync('github', ['issues'])
  const status = await nango.syncStatus('github', '*', 'conn-1')
  const freq = await nango.updateSyncConnectionFrequency('github', 'issues', 'conn-1', 'every 2h')
  await nango.updateSyncConnectionFrequency('github', { name: 'issues', variant: 'v2' }, 'conn-1', null)
  const variant = await nango.createSyncVariant({ provider_config_key: 'github', connection_id: 'conn-1', name: 'issues', variant: 'v2' })
  await nango.deleteSyncVariant({ provider_config_key: 'github', connection_id: 'conn-1', name: 'issues', variant: 'v2' })
  return [...status.syncs.map((s) => `${s.name}:${s.status}`), freq.frequency ?? 'default', variant.id]
}

export async function waiting(): Promise<string> {
  const controller = new AbortController()
  setTimeout(() => controller.abort(), 60_000)
  const conn = await nango.waitForConnection('github', 'user-1', { signal: controller.signal })
  const again = await nango.waitForConnection('github', 'user-1')
  return conn.connection_id + again.provider
}

export async function actions(): Promise<unknown> {
  const out = await nango.triggerAction('github', 'conn-1', 'create-issue', { title: 'Bug' })
  const { id, statusUrl } = await nango.triggerActionAsync('github', 'conn-1', 'create-issue', { title: 'Bug' })
  const byId = await nango.getAsyncActionResult({ id })
  const byUrl = await nango.getAsyncActionResult({ statusUrl })
  return [out, byId, byUrl]
}

export async function proxy(): Promise<number> {
  const res = await nango.proxy({ method: 'GET', endpoint: '/user', providerConfigKey: 'github', connectionId: 'conn-1' })
  const got = await nango.get({ endpoint: '/repos', providerConfigKey: 'github', connectionId: 'conn-1', params: { per_page: 50 } })
  const posted = await nango.post({ endpoint: '/issues', providerConfigKey: 'github', connectionId: 'conn-1', data: { title: 'x' } })
  const put = await nango.put({ endpoint: '/a', providerConfigKey: 'github', connectionId: 'conn-1', headers: { 'x-trace': '1' } })
  const patched = await nango.patch({ endpoint: '/a', providerConfigKey: 'github', connectionId: 'conn-1', retries: 3, retryOn: [409] })
  const removed = await nango.delete({ endpoint: '/a', providerConfigKey: 'github', connectionId: 'conn-1' })
  return res.status + got.status + posted.status + put.status + patched.status + removed.status + Object.keys(res.headers).length
}

export function webhooks(rawBody: string, signature: string, headers: Record<string, string>): boolean {
  const legacy = nango.verifyWebhookSignature(signature, JSON.parse(rawBody))
  const modern = nango.verifyIncomingWebhookRequest(rawBody, headers)
  return legacy || modern
}

export async function sessions(): Promise<string[]> {
  const session = await nango.createConnectSession({
    end_user: { id: 'user-1', email: 'u@example.com', display_name: 'U' },
    organization: { id: 'org-1', display_name: 'Acme' },
    allowed_integrations: ['github'],
    tags: { plan: 'pro' },
  })
  const reconnect = await nango.createReconnectSession({ connection_id: 'conn-1', integration_id: 'github' })
  return [session.data.token, session.data.connect_link, session.data.expires_at, reconnect.data.token]
}
