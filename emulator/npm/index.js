// @nango-rs/emulator: runs the nango-emulator binary as a child process, waits for the JSON line it
// prints once listening, and hands back its URL, keys, a client for its admin API and stop().
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'

const exe = process.platform === 'win32' ? 'nango-emulator.exe' : 'nango-emulator'

/** The per-platform package that would carry the binary, e.g. `@nango-rs/emulator-linux-x64-gnu`. */
export function platformPackage (platform = process.platform, arch = process.arch) {
  let abi = ''
  if (platform === 'linux') {
    const glibc = process.report?.getReport().header.glibcVersionRuntime
    abi = glibc ? '-gnu' : '-musl'
  } else if (platform === 'win32') {
    abi = '-msvc'
  }
  return `@nango-rs/emulator-${platform}-${arch}${abi}`
}

/**
 * Where the binary is: `NANGO_EMULATOR_BIN`, else `bin/` in this package, else the installed
 * per-platform package. Throws, saying what to do, when there is none.
 */
export function emulatorBinary () {
  if (process.env.NANGO_EMULATOR_BIN) return process.env.NANGO_EMULATOR_BIN
  const bundled = fileURLToPath(new URL(`./bin/${exe}`, import.meta.url))
  if (existsSync(bundled)) return bundled
  const name = platformPackage()
  try {
    return join(createRequire(import.meta.url).resolve(`${name}/package.json`), '..', exe)
  } catch {
    throw new Error(
      `@nango-rs/emulator: no nango-emulator binary for ${process.platform}-${process.arch} ` +
      `(looked for ${bundled} and the package ${name}); set NANGO_EMULATOR_BIN to one ` +
      '(`cargo install nango-emulator` builds it)'
    )
  }
}

/**
 * Spawns `bin args…` and resolves with `{ child, ready }` once the emulator's JSON ready line is
 * printed (`ready` is that line, parsed). Rejects when the process ends first.
 */
export async function spawnEmulator (bin, args, { stderr = 'ignore', env } = {}) {
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', stderr], env })
  const lines = createInterface({ input: child.stdout })
  try {
    const ready = await new Promise((resolve, reject) => {
      child.once('error', reject)
      child.once('exit', (code) => reject(new Error(`nango-emulator exited (${code}) before its ready line`)))
      lines.once('line', (line) => {
        try {
          resolve(JSON.parse(line))
        } catch {
          reject(new Error('nango-emulator printed an unexpected first line'))
        }
      })
    })
    child.removeAllListeners('exit')
    // Keep reading stdout so that the emulator never blocks on a full pipe.
    lines.on('line', () => {})
    return { child, ready }
  } catch (err) {
    if (child.exitCode === null && child.pid) child.kill('SIGKILL')
    throw err
  }
}

/** Ends the child started by `spawnEmulator` (SIGTERM; the emulator exits 0) and waits for it. */
export async function stopChild (child) {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise((resolve) => child.once('exit', resolve))
  child.kill('SIGTERM')
  await exited
}

/** A client for the emulator's admin API under `/_emulator`, with the secret key. */
function adminClient (url, secretKey) {
  const request = async (method, path, body) => {
    const response = await fetch(`${url}/_emulator${path}`, {
      method,
      headers: { Authorization: `Bearer ${secretKey}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body)
    })
    const text = await response.text()
    if (!response.ok) throw new Error(`${method} /_emulator${path}: ${response.status} ${text}`)
    return text ? JSON.parse(text) : null
  }
  return {
    request,
    health: () => request('GET', '/health'),
    createConnection: (body) => request('POST', '/connections', body),
    expireToken: (body) => request('POST', '/connections/expire-token', body),
    revoke: (body) => request('POST', '/connections/revoke', body),
    runSync: (body) => request('POST', '/sync/run', body),
    mutate: (body) => request('POST', '/provider/mutate', body),
    addFaults: (faults) => request('POST', '/faults', faults),
    clearFaults: () => request('DELETE', '/faults'),
    setRateLimit: (body) => request('PUT', '/rate-limit', body),
    clearRateLimit: () => request('DELETE', '/rate-limit'),
    counters: () => request('GET', '/counters'),
    resetCounters: () => request('DELETE', '/counters'),
    requests: () => request('GET', '/requests'),
    clearRequests: () => request('DELETE', '/requests'),
    webhooks: () => request('GET', '/webhooks'),
    clearWebhooks: () => request('DELETE', '/webhooks'),
    setWebhookUrl: (webhookUrl) => request('PUT', '/webhook-url', { url: webhookUrl ?? null })
  }
}

/**
 * Starts an emulator on 127.0.0.1 (a free port unless `port` is given) and resolves once it
 * listens. `config` is the emulator's JSON config file, as an object.
 */
export async function startEmulator (opts = {}) {
  const args = ['--port', String(opts.port ?? 0)]
  if (opts.secretKey) args.push('--secret-key', opts.secretKey)
  if (opts.signingKey) args.push('--signing-key', opts.signingKey)
  if (opts.webhookUrl) args.push('--webhook-url', opts.webhookUrl)
  let dir
  if (opts.config) {
    dir = await mkdtemp(join(tmpdir(), 'nango-emulator-'))
    await writeFile(join(dir, 'config.json'), JSON.stringify(opts.config))
    args.push('--config', join(dir, 'config.json'))
  }
  let started
  try {
    started = await spawnEmulator(opts.bin ?? emulatorBinary(), args, { stderr: opts.stderr ?? 'ignore' })
  } finally {
    if (dir) await rm(dir, { recursive: true, force: true })
  }
  const { child, ready } = started
  return {
    url: ready.url,
    secretKey: ready.secret_key,
    signingKey: ready.signing_key,
    integrations: ready.integrations,
    pid: child.pid,
    admin: adminClient(ready.url, ready.secret_key),
    stop: () => stopChild(child)
  }
}
