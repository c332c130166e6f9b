import type { ChildProcess } from 'node:child_process'

export interface StartOptions {
  /** The nango-emulator binary; default: `NANGO_EMULATOR_BIN`, then this package's, then the platform package's. */
  bin?: string
  /** Port on 127.0.0.1; default 0 (a free one). */
  port?: number
  secretKey?: string
  signingKey?: string
  /** Where webhooks go. */
  webhookUrl?: string
  /** The emulator's JSON config (integrations, connections, syncs, ...), as an object. */
  config?: Record<string, unknown>
  /** The child's stderr: `'ignore'` (default) or `'inherit'`. */
  stderr?: 'ignore' | 'inherit'
}

/** The emulator's admin API under `/_emulator` (every call sends the secret key). */
export interface Admin {
  request(method: string, path: string, body?: unknown): Promise<any>
  health(): Promise<{ ok: boolean }>
  createConnection(body: { provider_config_key: string; connection_id?: string }): Promise<any>
  expireToken(body: { provider_config_key: string; connection_id: string }): Promise<any>
  revoke(body: { provider_config_key: string; connection_id: string }): Promise<any>
  runSync(body: { provider_config_key: string; connection_id: string; sync?: string; variant?: string }): Promise<any>
  mutate(body: { integration: string; model: string; add?: number; update?: number; delete?: number; update_ids?: string[]; delete_ids?: string[] }): Promise<{ added: string[]; updated: string[]; deleted: string[] }>
  addFaults(faults: Record<string, unknown> | Record<string, unknown>[]): Promise<{ ids: string[] }>
  clearFaults(): Promise<any>
  setRateLimit(body: { limit: number; window_secs: number }): Promise<any>
  clearRateLimit(): Promise<any>
  counters(): Promise<{ requests_total: number; requests: Record<string, number>; actions: Record<string, number>; sync_runs: number; webhook_deliveries: number }>
  resetCounters(): Promise<any>
  requests(): Promise<{ requests: Array<{ method: string; path: string; query: string; headers: Record<string, string>; body: unknown }> }>
  clearRequests(): Promise<any>
  webhooks(): Promise<{ deliveries: Array<{ url: string; body: unknown; attempts: string[]; delivered: boolean }> }>
  clearWebhooks(): Promise<any>
  setWebhookUrl(url: string | null): Promise<any>
}

export interface RunningEmulator {
  /** e.g. `http://127.0.0.1:41234`: the `host` to give the Nango SDKs. */
  url: string
  secretKey: string
  signingKey: string
  /** The provider config keys it serves. */
  integrations: string[]
  pid: number | undefined
  admin: Admin
  /** Ends the process (SIGTERM) and waits for it. */
  stop(): Promise<void>
}

export function startEmulator(opts?: StartOptions): Promise<RunningEmulator>

/** The binary `startEmulator` runs by default. */
export function emulatorBinary(): string

/** The name of the per-platform package for this (or the given) platform. */
export function platformPackage(platform?: string, arch?: string): string

/** The low-level start: spawns `bin args…` and resolves once the JSON ready line is printed. */
export function spawnEmulator(
  bin: string,
  args: string[],
  opts?: { stderr?: 'ignore' | 'inherit' | 'pipe'; env?: NodeJS.ProcessEnv }
): Promise<{ child: ChildProcess; ready: { ready: true; url: string; secret_key: string; signing_key: string; integrations: string[] } }>

/** Ends a child started by `spawnEmulator` and waits for it. */
export function stopChild(child: ChildProcess): Promise<void>
