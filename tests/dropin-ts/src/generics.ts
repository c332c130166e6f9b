// The official generics: triggerAction<In, Out>, triggerActionAsync<In>, getAsyncActionResult<Out>,
// listRecords<T> (T is the payload; `_nango_metadata` is added), getMetadata<T>,
// getRawTokenResponse<T>, proxy<T>.
import { Nango } from '@nangohq/node'

const nango = new Nango({ apiKey: 'key', webhookSigningKey: 'whsec' })

interface NewIssue {
  title: string
  labels?: string[]
}
interface IssueCreated {
  number: number
  url: string
}
interface Issue {
  id: string
  title: string
  state: 'open' | 'closed'
}
interface TeamMetadata {
  team: string
  seats: number
}

export async function typedAction(): Promise<number> {
  // In is checked against the input, Out is the resolved value.
  const created = await nango.triggerAction<NewIssue, IssueCreated>('github', 'conn-1', 'create-issue', { title: 'Bug', labels: ['p1'] })
  const n: number = created.number
  const url: string = created.url
  // @ts-expect-error: the input must match In
  await nango.triggerAction<NewIssue, IssueCreated>('github', 'conn-1', 'create-issue', { name: 'no title' })
  return n + url.length
}

export async function typedAsyncAction(): Promise<string> {
  const handle = await nango.triggerActionAsync<NewIssue>('github', 'conn-1', 'create-issue', { title: 'Later' })
  // @ts-expect-error: the input must match In
  await nango.triggerActionAsync<NewIssue>('github', 'conn-1', 'create-issue', { title: 42 })
  const result = await nango.getAsyncActionResult<IssueCreated>({ id: handle.id })
  return `${handle.statusUrl} ${result.number}`
}

export async function typedRecords(): Promise<string[]> {
  const page = await nango.listRecords<Issue>({
    providerConfigKey: 'github',
    connectionId: 'conn-1',
    model: 'Issue',
    filter: 'added,updated',
    modifiedAfter: '2026-01-01T00:00:00Z',
  })
  const out: string[] = []
  for (const record of page.records) {
    // The payload's own fields...
    const title: string = record.title
    const state: 'open' | 'closed' = record.state
    // ...and Nango's metadata on every record.
    const meta = record._nango_metadata
    const seen: string = meta.first_seen_at
    const cursor: string = meta.cursor
    const deleted: string | null = meta.deleted_at
    if (meta.last_action === 'DELETED' || meta.last_action === 'deleted') continue
    out.push(`${title} ${state} ${seen} ${cursor} ${deleted ?? ''} ${String(record.id)}`)
  }
  const next: string | null = page.next_cursor
  if (next !== null) out.push(next)
  return out
}

export async function typedMetadata(): Promise<number> {
  const meta = await nango.getMetadata<TeamMetadata>('slack', 'conn-1')
  const raw = await nango.getRawTokenResponse<{ access_token: string; scope: string }>('slack', 'conn-1')
  return meta.seats + meta.team.length + raw.scope.length + raw.access_token.length
}

export async function typedProxy(): Promise<string> {
  const res = await nango.proxy<{ login: string }>({ endpoint: '/user', providerConfigKey: 'github', connectionId: 'conn-1' })
  const login: string = res.data.login
  const repos = await nango.get<Array<{ full_name: string }>>({ endpoint: '/user/repos', providerConfigKey: 'github', connectionId: 'conn-1' })
  return login + repos.data.map((r) => r.full_name).join(',')
}
