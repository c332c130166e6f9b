// The credential types, and the webhook body types, as an application narrows them.
import type {
  AllAuthCredentials,
  ApiKeyCredentials,
  AppCredentials,
  AuthModeType,
  AuthModes,
  AuthOperationType,
  BasicApiCredentials,
  BillCredentials,
  CredentialsCommon,
  CustomCredentials,
  JwtCredentials,
  OAuth1Credentials,
  OAuth1Token,
  OAuth2ClientCredentials,
  OAuth2Credentials,
  TbaCredentials,
  TwoStepCredentials,
  UnauthCredentials,
  NangoAuthWebhookBody,
  NangoAuthWebhookBodyError,
  NangoAuthWebhookBodySuccess,
  NangoSyncWebhookBody,
  NangoSyncWebhookBodyError,
  NangoSyncWebhookBodySuccess,
  NangoWebhookBody,
} from '@nangohq/node'
import { Nango } from '@nangohq/node'

export const oauth2Mode: AuthModes['OAuth2'] = 'OAUTH2'
export const modes: AuthModeType[] = ['OAUTH1', 'OAUTH2', 'OAUTH2_CC', 'BASIC', 'API_KEY', 'APP', 'NONE', 'TBA', 'JWT', 'BILL', 'TWO_STEP', 'CUSTOM']

export function secretOf(
  c: OAuth2Credentials | OAuth1Credentials | OAuth2ClientCredentials | ApiKeyCredentials | BasicApiCredentials | AppCredentials | TbaCredentials | BillCredentials,
): string {
  switch (c.type) {
    case 'OAUTH2':
      return c.access_token + (c.refresh_token ?? '')
    case 'OAUTH1':
      return `${c.oauth_token}:${c.oauth_token_secret}`
    case 'OAUTH2_CC':
      return `${c.token} ${c.client_id}`
    case 'API_KEY':
      return c.apiKey
    case 'BASIC':
      return `${c.username}:${c.password}`
    case 'APP':
      return c.access_token
    case 'TBA':
      return `${c.token_id}:${c.token_secret}`
    case 'BILL':
      return `${c.username} ${c.organization_id} ${c.dev_key}`
  }
}
export function looseSecret(c: JwtCredentials | TwoStepCredentials | CustomCredentials): string {
  if (c.type === 'JWT' || c.type === 'TWO_STEP') return c.token ?? ''
  return JSON.stringify(c.raw)
}
export function rawOf(c: CredentialsCommon<{ scope: string }>): string {
  return `${c.type} ${c.raw.scope}`
}
export const none: UnauthCredentials = {}
export function tokenText(t: string | OAuth1Token | Record<string, unknown>): string {
  if (typeof t === 'string') return t
  return 'oAuthToken' in t ? `${(t as OAuth1Token).oAuthToken}` : JSON.stringify(t)
}
export function anyCredentials(c: AllAuthCredentials): string {
  return 'type' in c ? String(c.type) : 'none'
}
export const operations: AuthOperationType[] = ['creation', 'override', 'refresh', 'deletion', 'unknown']

const nango = new Nango({ secretKey: 'sk' })
export async function bearerOf(connectionId: string): Promise<string> {
  const conn = await nango.getConnection('github', connectionId)
  const creds = conn.credentials
  if (creds.type === 'OAUTH2') return `Bearer ${creds.access_token}`
  if (creds.type === 'API_KEY') return `Bearer ${creds.apiKey}`
  const token = await nango.getToken('github', connectionId)
  return tokenText(token)
}

// Webhook bodies: what `verifyIncomingWebhookRequest` guards.
export function onSync(body: NangoSyncWebhookBody): string {
  if (body.success) {
    const ok: NangoSyncWebhookBodySuccess = body
    const r = ok.responseResults
    return `${ok.syncName}/${ok.model} +${r.added} ~${r.updated} -${r.deleted} since ${ok.modifiedAfter}`
  }
  const failed: NangoSyncWebhookBodyError = body
  return `${failed.syncName} failed: ${failed.error.type} ${failed.error.description} at ${failed.failedAt}`
}
export function onAuth(body: NangoAuthWebhookBody): string {
  if (body.success) {
    const ok: NangoAuthWebhookBodySuccess = body
    return `${ok.operation} ${ok.connectionId} ${ok.authMode} ${ok.provider} ${ok.environment} ${ok.endUser?.endUserId ?? ''}`
  }
  const failed: NangoAuthWebhookBodyError = body
  return `${failed.operation} failed: ${failed.error.type} ${failed.error.description}`
}
export function onWebhook(rawBody: string, headers: Record<string, string>): string {
  if (!nango.verifyIncomingWebhookRequest(rawBody, headers)) return 'rejected'
  const body = JSON.parse(rawBody) as NangoWebhookBody
  switch (body.type) {
    case 'sync':
      return onSync(body)
    case 'auth':
      return onAuth(body)
  }
}
