// Test support (also used by ../../browser/test): runs the emulator binary and the example backend
// as real processes on 127.0.0.1, reads their output, and stops them by PID.
import { spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { existsSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url))
export const emulatorBin =
  process.env.NANGO_EMULATOR_BIN ||
  `${process.env.CARGO_TARGET_DIR || `${repoRoot}target`}/x86_64-unknown-linux-gnu/debug/nango-emulator`
export const backendScript = fileURLToPath(new URL('../server.mjs', import.meta.url))

/** A port that was free a moment ago (the emulator needs the backend's URL before it starts). */
export async function freePort() {
  const probe = createServer()
  await new Promise((ok) => probe.listen(0, '127.0.0.1', ok))
  const { port } = probe.address()
  await new Promise((ok) => probe.close(ok))
  return port
}

/** Spawns a process, collects its stdout lines; `waitForLine(re)` resolves with the first match. */
export function run(command, args, env) {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } })
  const lines = []
  const waiters = new Set()
  createInterface({ input: child.stdout }).on('line', (line) => {
    lines.push(line)
    for (const w of [...waiters]) if (w.re.test(line)) w.ok(line)
  })
  const exited = new Promise((ok) => child.once('exit', ok))
  return {
    pid: child.pid,
    lines,
    waitForLine(re, timeoutMs = 20_000) {
      const seen = lines.find((l) => re.test(l))
      if (seen !== undefined) return Promise.resolve(seen)
      return new Promise((ok, fail) => {
        const done = (err, line) => {
          clearTimeout(timer)
          waiters.delete(waiter)
          if (err) fail(err)
          else ok(line)
        }
        const waiter = { re, ok: (line) => done(null, line) }
        waiters.add(waiter)
        const timer = setTimeout(() => done(new Error(`no line matching ${re}; got:\n${lines.join('\n')}`)), timeoutMs)
        exited.then((code) => waiters.has(waiter) && done(new Error(`${command} exited (${code}) before ${re}`)))
      })
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return
      process.kill(child.pid, 'SIGTERM')
      await exited
    },
  }
}

/** The emulator (default demo: `zendesk`, 50 tickets) sending its webhooks to `webhookUrl`. */
export async function startEmulator(webhookUrl) {
  if (!existsSync(emulatorBin)) throw new Error(`no emulator at ${emulatorBin}: run \`make emulator-bin\``)
  const proc = run(emulatorBin, ['--port', '0', '--webhook-url', webhookUrl])
  const ready = JSON.parse(await proc.waitForLine(/"ready":true/))
  async function admin(method, path, body) {
    const res = await fetch(`${ready.url}/_emulator${path}`, {
      method,
      headers: { authorization: `Bearer ${ready.secret_key}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    if (!res.ok) throw new Error(`admin ${method} ${path} -> ${res.status} ${await res.text()}`)
    return res.json()
  }
  return { ...proc, url: ready.url, secretKey: ready.secret_key, signingKey: ready.signing_key, admin }
}

/** The example backend (../server.mjs) on `port`, talking to `emulator`. */
export async function startBackend(emulator, port) {
  const proc = run(process.execPath, [backendScript], {
    NANGO_HOST: emulator.url,
    NANGO_SECRET_KEY: emulator.secretKey,
    NANGO_WEBHOOK_SIGNING_KEY: emulator.signingKey,
    PORT: String(port),
  })
  await proc.waitForLine(/^listening on /)
  const url = `http://127.0.0.1:${port}`
  async function call(method, path, body) {
    const res = await fetch(url + path, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    return { status: res.status, body: await res.json() }
  }
  return { ...proc, url, call }
}
