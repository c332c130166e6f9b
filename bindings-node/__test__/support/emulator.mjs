// Starts the nango-emulator binary on loopback for a test file and stops it by PID.
import { spawn } from 'node:child_process'
import { mkdtempSync, writeFileSync, rmSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createInterface } from 'node:readline'

const here = dirname(fileURLToPath(import.meta.url))
export const repoRoot = join(here, '..', '..', '..')
export const emulatorBin =
  process.env.NANGO_EMULATOR_BIN ?? join(repoRoot, 'target', 'x86_64-unknown-linux-gnu', 'debug', 'nango-emulator')

/** A config with one OAuth2 integration `zendesk` whose `Ticket` model holds `seed` records. */
export function zendeskConfig({ seed = 50, recordSize = 256, connections = ['conn-1'], extra = {} } = {}) {
  return {
    integrations: [
      {
        unique_key: 'zendesk',
        provider: 'zendesk',
        display_name: 'Zendesk (test)',
        auth_mode: 'OAUTH2',
        models: [{ name: 'Ticket', seed_count: seed, record_size: recordSize }],
        syncs: [{ name: 'tickets', models: ['Ticket'], frequency: 'every 5 minutes', auto_start: true }],
        actions: [
          { name: 'create-ticket', kind: 'create_record', model: 'Ticket' },
          { name: 'echo', kind: 'echo' },
          { name: 'fail', kind: 'fail' },
        ],
      },
    ],
    connections: connections.map((id) => ({ connection_id: id, provider_config_key: 'zendesk' })),
    ...extra,
  }
}

/**
 * Spawns the emulator with `config` (written to a temp file) and waits for its ready line.
 * Returns `{ url, secretKey, signingKey, admin, stop }`.
 */
export async function startEmulator(config = zendeskConfig(), { env = {}, bin = emulatorBin } = {}) {
  if (!existsSync(bin)) {
    throw new Error(`nango-emulator binary not found at ${bin}: run \`cargo build -p nango-emulator\``)
  }
  const dir = mkdtempSync(join(tmpdir(), 'nango-node-test-'))
  const configPath = join(dir, 'config.json')
  writeFileSync(configPath, JSON.stringify(config))
  const child = spawn(bin, ['--port', '0', '--config', configPath], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  })
  const ready = await new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout })
    const timer = setTimeout(() => reject(new Error('emulator did not print its ready line in 30 s')), 30_000)
    lines.once('line', (line) => {
      clearTimeout(timer)
      try {
        resolve(JSON.parse(line))
      } catch (err) {
        reject(new Error(`unexpected first line from the emulator: ${line}`))
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`emulator exited early with ${code}`))
    })
  })
  // Keep draining stdout so the child never blocks on a full pipe.
  child.stdout.resume()
  const url = ready.url
  const secretKey = ready.secret_key
  const signingKey = ready.signing_key

  async function admin(method, path, body) {
    const res = await fetch(`${url}/_emulator${path}`, {
      method,
      headers: { authorization: `Bearer ${secretKey}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const text = await res.text()
    if (!res.ok) throw new Error(`admin ${method} ${path} -> ${res.status} ${text}`)
    return text ? JSON.parse(text) : null
  }

  async function stop() {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve))
      process.kill(child.pid, 'SIGTERM')
      await exited
    }
    rmSync(dir, { recursive: true, force: true })
  }

  return { url, secretKey, signingKey, admin, stop, pid: child.pid }
}
