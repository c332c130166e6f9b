// Shared by the Node scenarios: the emulator process (started once per suite, stopped by PID),
// its admin API, the seeded generator and fault plan (bit-identical to rust/src/rng.rs and
// python/support.py), /proc probes, and the result line.
import { appendFileSync, readdirSync, readFileSync, readlinkSync } from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { spawnEmulator } from '../spawn_emulator.mjs'
import { createRequire } from 'node:module'

const here = path.dirname(fileURLToPath(import.meta.url))
export const REPO = path.resolve(here, '..', '..', '..')
export const PARAMS = JSON.parse(readFileSync(path.join(here, '..', 'params.json'), 'utf8'))
const CONFIG = path.join(here, '..', 'emulator.json')
const BIN = process.env.NANGO_EMULATOR_BIN ??
  path.join(REPO, 'target', 'x86_64-unknown-linux-gnu', 'debug', 'nango-emulator')

// The Node binding from this checkout (bindings-node, built with `npm run build`).
const require = createRequire(import.meta.url)
export const nangoPkg = require(path.join(REPO, 'bindings-node', 'nango.js'))
export const { Nango, NangoError } = nangoPkg

export const INTEGRATION = PARAMS.integration
export const CONNECTION = PARAMS.connection

/** Starts the emulator and waits for its JSON ready line. */
export async function startEmulator () {
  const { child, ready } = await spawnEmulator(BIN, ['--config', CONFIG])
  const port = Number(new URL(ready.url).port)
  return new Emulator(child, ready, port)
}

export class Emulator {
  constructor (child, ready, port) {
    this.child = child
    this.url = ready.url
    this.secretKey = ready.secret_key
    this.signingKey = ready.signing_key
    this.port = port
  }

  /** SIGTERM by PID, SIGKILL if it lingers. */
  async stop () {
    if (this.child.exitCode !== null) return
    const exited = new Promise((resolve) => this.child.once('exit', resolve))
    process.kill(this.child.pid, 'SIGTERM')
    const timer = setTimeout(() => { try { process.kill(this.child.pid, 'SIGKILL') } catch {} }, 10000)
    await exited
    clearTimeout(timer)
  }

  client (extra = {}) {
    return new Nango({ host: this.url, secretKey: this.secretKey, webhookSigningKey: this.signingKey, ...extra })
  }

  /** Admin call without keep-alive (`agent: false`), so no pooled socket skews the probes. */
  admin (method, pathname, body) {
    const data = body === undefined ? undefined : JSON.stringify(body)
    return new Promise((resolve, reject) => {
      const req = http.request(`${this.url}/_emulator${pathname}`, {
        method,
        agent: false,
        headers: { Authorization: `Bearer ${this.secretKey}`, ...(data ? { 'Content-Type': 'application/json' } : {}) },
      }, (res) => {
        const chunks = []
        res.on('data', (c) => chunks.push(c))
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8')
          if (res.statusCode >= 300) return reject(new Error(`admin ${pathname}: HTTP ${res.statusCode}: ${text}`))
          resolve(text ? JSON.parse(text) : null)
        })
      })
      req.on('error', reject)
      if (data) req.write(data)
      req.end()
    })
  }

  addFaults (rules) { return this.admin('POST', '/faults', rules) }
  async faultsLeft () { return (await this.admin('GET', '/faults')).faults.length }
  async waitFaultsConsumed (ms = 10000) {
    const until = Date.now() + ms
    while (await this.faultsLeft() > 0) {
      if (Date.now() > until) throw new Error('injected faults were never reached')
      await sleep(20)
    }
  }

  counters () { return this.admin('GET', '/counters') }
  async actionCount (name) { return (await this.counters()).actions[name] ?? 0 }
  async reset () {
    await this.admin('DELETE', '/faults')
    await this.admin('DELETE', '/rate-limit')
    await this.admin('PUT', '/webhook-url', { url: null })
  }
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

/** mulberry32, as in rust/src/rng.rs. */
export class Mulberry32 {
  constructor (seed) { this.a = seed >>> 0 }
  nextU32 () {
    this.a = (this.a + 0x6D2B79F5) >>> 0
    let t = this.a
    t = Math.imul(t ^ (t >>> 15), t | 1) >>> 0
    t = ((t + Math.imul(t ^ (t >>> 7), t | 61)) ^ t) >>> 0
    return (t ^ (t >>> 14)) >>> 0
  }

  below (n) { return this.nextU32() % Math.max(n, 1) }
}

/** The fault plan of rust/src/rng.rs `fault_plan`, slot for slot. */
export function faultPlan (seed, slots, method, pathPrefix, slowMs, retryAfter) {
  const rng = new Mulberry32(seed)
  const base = (kind) => ({ method, path: pathPrefix, count: 1, ...kind })
  const plan = []
  while (plan.length < slots) {
    const roll = rng.below(100)
    if (roll < 4) plan.push({ label: '429', rule: base({ kind: 'status', status: 429, retry_after: retryAfter }) })
    else if (roll < 12) {
      const burst = 1 + rng.below(3)
      for (let i = 0; i < burst; i++) plan.push({ label: '503', rule: base({ kind: 'status', status: 503 }) })
    } else if (roll < 18) plan.push({ label: 'drop', rule: base({ kind: 'drop' }) })
    else if (roll < 24) plan.push({ label: 'truncate', rule: base({ kind: 'truncate' }) })
    else if (roll < 32) plan.push({ label: 'slow', rule: base({ kind: 'delay', ms: slowMs }) })
    else plan.push({ label: 'pass', rule: base({ kind: 'delay', ms: 0 }) })
  }
  return plan.slice(0, slots)
}

/** Sortable key of a cursor: base64 of `<fixed-width UTC time>||<uuid>` (docs/protocol.md §7). */
export function cursorKey (cursor) {
  const text = Buffer.from(cursor, 'base64').toString('utf8')
  const parts = text.split('||')
  if (parts.length !== 2) throw new Error(`bad cursor ${cursor}`)
  return text
}

/**
 * Walks with the public iterator, going on after errors (the pager re-requests the same
 * cursor). Stops after `stopAfter` records if given.
 */
export async function walk (nango, config, stopAfter, options) {
  const it = nango.records(config, options)
  const records = []
  const errors = []
  while (stopAfter === undefined || records.length < stopAfter) {
    let step
    try {
      step = await it.next()
    } catch (err) {
      errors.push(err.nangoCode ?? String(err))
      if (errors.length > 200) throw new Error(`walk stuck: ${errors.length} errors, last ${err}`)
      continue
    }
    if (step.done) break
    const r = step.value
    records.push({ id: r.id, cursor: r._nango_metadata.cursor, action: r._nango_metadata.last_action })
  }
  const checkpoint = it.checkpoint
  if (stopAfter !== undefined) await it.return()
  return { records, errors, checkpoint }
}

export function orderViolations (records) {
  let bad = 0
  let prev = null
  for (const r of records) {
    const key = cursorKey(r.cursor)
    if (prev !== null && prev >= key) bad++
    prev = key
  }
  return bad
}

export function summary (codes) {
  const counts = {}
  for (const c of codes) counts[c] = (counts[c] ?? 0) + 1
  return Object.entries(counts).sort().map(([k, v]) => `${k}x${v}`).join(' ')
}

function socketInodes () {
  const out = new Set()
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/self/fd/${fd}`))
      if (m) out.add(m[1])
    } catch {}
  }
  return out
}

/** Our open TCP sockets to `port` in any state (established or half-closed by the server). */
export function socketsTo (port) {
  const ours = socketInodes()
  const want = ':' + port.toString(16).toUpperCase().padStart(4, '0')
  let n = 0
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text
    try { text = readFileSync(table, 'utf8') } catch { continue }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/)
      if (cols.length > 9 && cols[2].endsWith(want) && ours.has(cols[9])) n++
    }
  }
  return n
}

export const fdCount = () => readdirSync('/proc/self/fd').length
export function rssKib () {
  const m = /VmRSS:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))
  return m ? Number(m[1]) : 0
}

export async function settleConnections (port, max, tries = 100) {
  let now = socketsTo(port)
  for (let i = 0; i < tries && now > max; i++) {
    await sleep(50)
    if (global.gc) global.gc()
    now = socketsTo(port)
  }
  return now
}

/** A failed check. */
export function ensure (cond, message) {
  if (!cond) throw new Error(typeof message === 'function' ? message() : message)
}

/** Appends the result line to $NANGO_SCENARIO_RESULTS (or prints it). */
export function report (scenario, ok, tally, error, seconds) {
  const line = JSON.stringify({
    language: 'node', scenario, status: ok ? 'pass' : 'fail',
    records: tally.records, faults: tally.faults, inputs: tally.inputs, notes: tally.notes,
    error: error ? String(error.message ?? error) : '', seconds: Math.round(seconds * 10) / 10,
  })
  if (process.env.NANGO_SCENARIO_RESULTS) appendFileSync(process.env.NANGO_SCENARIO_RESULTS, line + '\n')
  else console.log(line)
}

export function newTally () { return { records: 0, faults: 0, inputs: 0, notes: [] } }
