'use strict'
// @nango-rs/node, CommonJS entry (nango.mjs re-exports it for `import`).
//
// The native `Nango` class (src/*.rs, loaded by napi's generated index.js) holds the whole API.
// This file only adds what is better done in JS: the NangoError classes (errors.js), the
// `for await` iterator over the native page walker, and turning argument errors of async methods
// into rejections as the official SDK's async methods do.

const native = loadNative()
const errors = require('./errors.js')

function loadNative() {
  try {
    return require('./index.js')
  } catch (err) {
    // In a clone of the repository (Cargo.toml is not in the npm package) the addon is built, not
    // downloaded; napi's own advice ("npm has a bug…") would send the user the wrong way.
    const { existsSync, readdirSync } = require('node:fs')
    const built = readdirSync(__dirname).some((name) => name.endsWith('.node'))
    if (built || !existsSync(require('node:path').join(__dirname, 'Cargo.toml'))) throw err
    throw new Error('@nango-rs/node: the native addon is not built. At the repository root run ' +
      "'make setup node-build' (or 'npm ci && npm run build' in bindings-node).", { cause: err })
  }
}

native.registerErrorFactory(errors.fromInfoJson)

const { Nango, RecordPager } = native

// The official methods are `async`: a bad argument rejects the promise, it does not throw.
const ASYNC_METHODS = [
  'listRecords', 'pruneRecords', 'triggerAction', 'triggerActionAsync', 'getAsyncActionResult',
  'getConnection', 'listConnections', 'getToken', 'getMetadata', 'setMetadata', 'updateMetadata',
  'patchConnection', 'deleteConnection', 'createConnectSession', 'createReconnectSession',
  'triggerSync', 'startSync', 'pauseSync', 'syncStatus', 'updateSyncConnectionFrequency', 'proxy',
  'get', 'post', 'put', 'patch', 'delete', 'listIntegrations', 'getIntegration', 'listProviders',
  'getProvider', 'getEnvironmentVariables', 'getScriptsConfig', 'createSyncVariant', 'deleteSyncVariant',
]
for (const name of ASYNC_METHODS) {
  const method = Nango.prototype[name]
  if (typeof method !== 'function') throw new Error(`@nango-rs/node: native method ${name} is missing`)
  Object.defineProperty(Nango.prototype, name, {
    configurable: true,
    writable: true,
    value: {
      [name](...args) {
        try {
          return method.apply(this, args)
        } catch (err) {
          return Promise.reject(err)
        }
      },
    }[name],
  })
}

/**
 * Every record from `config.cursor` (or the start) to the end, one page read ahead.
 * `iterator.checkpoint` is the cursor to resume from: the cursor of the last record handed out
 * (or the starting cursor), as in Rust and Python (tests/vectors/checkpoints.json), so resuming
 * never skips or repeats a record.
 *
 * Overlapping calls (`Promise.all([it.next(), it.next()])`) get successive records, exactly once
 * and in call order: a call that must wait for a page is chained after the calls still pending,
 * so no call takes a record ahead of an earlier one or fetches a page over one not yet used up.
 */
class RecordIterator {
  #pager
  #page = null
  #index = 0
  #checkpoint
  #done = false
  /** The latest call still pending, or null: later calls run after it. */
  #tail = null

  constructor(pager) {
    this.#pager = pager
    this.#checkpoint = pager.checkpoint ?? null
  }

  get checkpoint() {
    return this.#checkpoint
  }

  [Symbol.asyncIterator]() {
    return this
  }

  // Not `async`: a record already in hand resolves without an async function frame, which adds
  // up over 100,000 records. Only page boundaries (or calls queued behind one) wait.
  next() {
    if (this.#tail === null) {
      const value = this.#take()
      if (value !== undefined) return Promise.resolve({ value, done: false })
    }
    return this.#afterPending(() => this.#nextRecord())
  }

  /** Pages instead of records: `for await (const page of nango.records(cfg).pages())`. */
  async *pages() {
    for (;;) {
      const records = await this.#afterPending(() => this.#restOfPage())
      if (records === null) return
      yield records
    }
  }

  /** Runs `step` once every call made before it has settled; its outcome is the call's. */
  #afterPending(step) {
    const run = this.#tail === null ? step() : this.#tail.then(step, step)
    this.#tail = run
    const settled = () => {
      if (this.#tail === run) this.#tail = null
    }
    run.then(settled, settled)
    return run
  }

  /** The next record of the page in hand, or undefined when it is used up. */
  #take() {
    const page = this.#page
    if (page === null || this.#index >= page.records.length) return undefined
    const value = page.records[this.#index++]
    // The record's own cursor (what core's `record_cursor` reads); the page's checkpoint, which
    // core computed from its last record, when a record has none.
    this.#checkpoint = value?._nango_metadata?.cursor
      ?? (this.#index === page.records.length ? page.checkpoint : this.#checkpoint)
    return value
  }

  async #nextRecord() {
    for (;;) {
      const value = this.#take()
      if (value !== undefined) return { value, done: false }
      if (this.#done) return { value: undefined, done: true }
      const next = await this.#pager.nextPage()
      if (next === null) {
        this.#done = true
        this.#page = null
        return { value: undefined, done: true }
      }
      this.#page = next
      this.#index = 0
      // An empty page that is not the last (a size-capped server): its checkpoint still counts.
      if (next.records.length === 0) this.#checkpoint = next.checkpoint
    }
  }

  /** What is left of the page in hand, else the next page's records; null at the end. */
  async #restOfPage() {
    const held = this.#page
    this.#page = null
    const page = held !== null && this.#index < held.records.length
      ? { records: held.records.slice(this.#index), checkpoint: held.checkpoint }
      : this.#done ? null : await this.#pager.nextPage()
    if (page === null) {
      this.#done = true
      return null
    }
    this.#checkpoint = page.checkpoint
    return page.records
  }

  async return(value) {
    this.#done = true
    this.#page = null
    this.#pager.close()
    return { value, done: true }
  }
}

Object.defineProperty(Nango.prototype, 'records', {
  configurable: true,
  writable: true,
  value: function records(config, options) {
    return new RecordIterator(this.recordPages(config, options))
  },
})

module.exports = {
  Nango,
  RecordPager,
  RecordIterator,
  version: native.version,
  ...Object.fromEntries(Object.entries(errors).filter(([name]) => name.endsWith('Error'))),
}
module.exports.default = module.exports
