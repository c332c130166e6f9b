'use strict'
// @nango-rs/node, CommonJS entry (nango.mjs re-exports it for `import`).
//
// The native `Nango` class (src/*.rs, loaded by napi's generated index.js) holds the whole API.
// This file only adds what is better done in JS: the NangoError classes (errors.js), the
// `for await` iterator over the native page walker, and the plain JSON methods, one line each
// on the native dispatcher (core's table of operations).

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
// Core's request logs reach the client's `logger` (`this`) through this function; a logger
// without the method, or one that throws, must not break the call that was logged.
native.registerLogForwarder(function forward(level, message, fieldsJson) {
  try {
    const method = typeof this[level] === 'function' ? this[level] : this.log
    if (typeof method === 'function') method.call(this, `nango: ${message}`, JSON.parse(fieldsJson))
  } catch {}
})

const { Nango, RecordPager } = native

// Every method that is one request and one JSON answer: the operation of core's table it runs,
// what it resolves with ('body': the JSON answer; 'response': axios' { data, status, headers },
// as the official SDK), and its positional arguments as the operation's argument object. The
// argument after those is the call's options ({ signal }).
const OPERATIONS = {
  pruneRecords: ['prune_records', 'body', (config) => config],
  triggerAction: ['trigger_action', 'body', (providerConfigKey, connectionId, actionName, input) => ({ providerConfigKey, connectionId, actionName, input })],
  triggerActionAsync: ['trigger_action_async', 'body', (providerConfigKey, connectionId, actionName, input) => ({ providerConfigKey, connectionId, actionName, input })],
  getAsyncActionResult: ['get_async_action_result', 'body', (params) => params],
  listConnections: ['list_connections', 'body', (params, search, queries) => (typeof params === 'object' && params !== null ? params : { ...queries, connectionId: params, search })],
  getConnection: ['get_connection', 'body', (providerConfigKey, connectionId, forceRefresh, refreshToken, refreshGithubAppJwtToken) => ({ providerConfigKey, connectionId, forceRefresh, refreshToken, refreshGithubAppJwtToken })],
  getToken: ['get_token', 'body', (providerConfigKey, connectionId, forceRefresh, refreshGithubAppJwtToken) => ({ providerConfigKey, connectionId, forceRefresh, refreshGithubAppJwtToken })],
  getMetadata: ['get_metadata', 'body', (providerConfigKey, connectionId) => ({ providerConfigKey, connectionId })],
  setMetadata: ['set_metadata', 'response', (providerConfigKey, connectionId, metadata) => ({ providerConfigKey, connectionId, metadata })],
  updateMetadata: ['update_metadata', 'response', (providerConfigKey, connectionId, metadata) => ({ providerConfigKey, connectionId, metadata })],
  patchConnection: ['patch_connection', 'body', (target, body) => ({ ...target, body })],
  deleteConnection: ['delete_connection', 'response', (providerConfigKey, connectionId) => ({ providerConfigKey, connectionId })],
  createConnectSession: ['create_connect_session', 'body', (params) => params],
  createReconnectSession: ['create_reconnect_session', 'body', (params) => params],
  triggerSync: ['trigger_sync', 'response', (providerConfigKey, syncs, connectionId, opts) => ({ providerConfigKey, syncs, connectionId, [typeof opts === 'object' && opts !== null ? 'opts' : 'syncMode']: opts })],
  startSync: ['start_sync', 'response', (providerConfigKey, syncs, connectionId) => ({ providerConfigKey, syncs, connectionId })],
  pauseSync: ['pause_sync', 'response', (providerConfigKey, syncs, connectionId) => ({ providerConfigKey, syncs, connectionId })],
  syncStatus: ['sync_status', 'body', (providerConfigKey, syncs, connectionId) => ({ providerConfigKey, syncs, connectionId })],
  updateSyncConnectionFrequency: ['update_sync_connection_frequency', 'body', (providerConfigKey, sync, connectionId, frequency) => ({ providerConfigKey, sync, connectionId, frequency })],
  createSyncVariant: ['create_sync_variant', 'body', (params) => params],
  deleteSyncVariant: ['delete_sync_variant', 'body', (params) => params],
  listIntegrations: ['list_integrations', 'body', () => ({})],
  getIntegration: ['get_integration', 'body', (params, queries) => ({ ...params, include: queries?.include })],
  listProviders: ['list_providers', 'body', (queries) => queries],
  getProvider: ['get_provider', 'body', (params) => params],
  getEnvironmentVariables: ['get_environment_variables', 'body', () => ({})],
  getScriptsConfig: ['get_scripts_config', 'body', (format) => ({ format })],
  getProviderTemplates: ['get_provider_templates', 'body', (params) => params],
  createIntegration: ['create_integration', 'body', (body) => body],
  createQuickstartIntegration: ['create_quickstart_integration', 'body', (body) => body],
  updateIntegration: ['update_integration', 'body', (params, body) => ({ ...params, body })],
  deleteIntegration: ['delete_integration', 'response', (providerConfigKey) => ({ providerConfigKey })],
  listFunctions: ['list_functions', 'body', (params, queries) => ({ ...params, ...queries })],
  getFunction: ['get_function', 'body', (params, queries) => ({ ...params, ...queries })],
  getFunctionCode: ['get_function_code', 'body', (params, queries) => ({ ...params, ...queries })],
  deleteFunction: ['delete_function', 'body', (params, queries) => ({ ...params, ...queries })],
  getRawTokenResponse: ['get_raw_token_response', 'body', (providerConfigKey, connectionId, forceRefresh, refreshGithubAppJwtToken) => ({ providerConfigKey, connectionId, forceRefresh, refreshGithubAppJwtToken })],
  // Not one request: core polls (the native dispatcher hands it to core's wait, with `deadlineMs`).
  waitForConnection: ['wait_for_connection', 'body', (integrationKey, userId) => ({ integrationKey, userId })],
}

// The native entry points behind JS methods, taken off the class (they are not public API).
function takeNative(name) {
  const fn = Nango.prototype[name]
  delete Nango.prototype[name]
  if (typeof fn !== 'function') throw new Error(`@nango-rs/node: the native ${name} is missing`)
  return fn
}
const dispatch = takeNative('dispatch')
const verifyLegacySignature = takeNative('verifyLegacySignature')

for (const [name, [op, shape, toArgs]] of Object.entries(OPERATIONS)) {
  const arity = toArgs.length
  Object.defineProperty(Nango.prototype, name, {
    configurable: true,
    writable: true,
    value: {
      // Never throws: whatever is wrong with the arguments rejects the promise, as the official
      // SDK's `async` methods do.
      [name](...args) {
        try {
          return dispatch.call(this, op, toArgs(...args.slice(0, arity)), args[arity], shape)
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

// The official SDK's deprecated check: core's legacy signature rule over the payload as
// `JSON.stringify` writes it (only JS reproduces that serialisation). Warns once, as it does.
Object.defineProperty(Nango.prototype, 'verifyWebhookSignature', {
  configurable: true,
  writable: true,
  value: require('node:util').deprecate(
    function verifyWebhookSignature(signature, jsonPayload) {
      // As a template literal writes it: `JSON.stringify(undefined)` is hashed as 'undefined'.
      const serialized = `${JSON.stringify(jsonPayload)}`
      if (typeof signature !== 'string') return false
      return verifyLegacySignature.call(this, signature, serialized)
    },
    'verifyWebhookSignature() is deprecated: it is open to length-extension attacks. ' +
      'Use verifyIncomingWebhookRequest(rawBody, headers) instead.',
    'NANGO_RS_VERIFY_WEBHOOK_SIGNATURE',
  ),
})

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
  prodHost: native.defaultHost(),
  getUserAgent: (userAgent) => native.userAgent(userAgent ?? null),
  SyncConfigType: Object.freeze({ SYNC: 'sync', ACTION: 'action' }),
  ...Object.fromEntries(Object.entries(errors).filter(([name]) => name.endsWith('Error'))),
}
module.exports.default = module.exports
