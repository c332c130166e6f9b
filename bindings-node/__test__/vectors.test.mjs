// The shared vectors of tests/vectors/ (one copy for every language), run through the Node API:
// requests.json against a loopback capture server, errors.json as canned answers, webhooks.json
// through verifyIncomingWebhookRequest/parseWebhook.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import { createHmac } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createRequire } from 'node:module'
import { repoRoot } from './support/emulator.mjs'

const require = createRequire(import.meta.url)
const pkg = require('../nango.js')
const { Nango, NangoError, NangoArgumentError } = pkg
const { fromInfo } = require('../errors.js')
const vectors = (name) => JSON.parse(readFileSync(join(repoRoot, 'tests', 'vectors', name), 'utf8'))

// A loopback server that records each request and answers what `respond` says.
let server
let url
let received = []
let respond = () => ({ status: 200, headers: { 'content-type': 'application/json' }, body: GENERIC_BODY })
const GENERIC_BODY = JSON.stringify({
  data: [],
  connection_id: 'c',
  provider_config_key: 'p',
  credentials: { type: 'OAUTH2', access_token: 't' },
  metadata: {},
})

before(async () => {
  server = createServer((req, res) => {
    const chunks = []
    req.on('data', (c) => chunks.push(c))
    req.on('end', () => {
      const full = new URL(req.url, 'http://x')
      received.push({
        method: req.method,
        path: full.pathname,
        query: req.url.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      })
      const answer = respond(req)
      res.writeHead(answer.status, answer.headers)
      res.end(answer.body)
    })
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${server.address().port}`
})
after(() => new Promise((resolve) => server.close(resolve)))

// The vector's arguments (named as the Node SDK names them) as the official positional call.
function invoke(nango, call, a) {
  switch (call) {
    case 'triggerAction':
    case 'triggerActionAsync':
      return nango[call](a.providerConfigKey, a.connectionId, a.actionName, a.input)
    case 'getConnection':
      return nango.getConnection(a.providerConfigKey, a.connectionId, a.forceRefresh, a.refreshToken, a.refreshGithubAppJwtToken)
    case 'getToken':
      return nango.getToken(a.providerConfigKey, a.connectionId, a.forceRefresh, a.refreshGithubAppJwtToken)
    case 'getMetadata':
    case 'deleteConnection':
      return nango[call](a.providerConfigKey, a.connectionId)
    case 'setMetadata':
    case 'updateMetadata':
      return nango[call](a.providerConfigKey, a.connectionId, a.metadata)
    case 'patchConnection':
      return nango.patchConnection({ connectionId: a.connectionId, provider_config_key: a.provider_config_key }, a.body)
    case 'listConnections':
      if ('search' in a || 'endUserId' in a || 'endUserOrganizationId' in a) {
        const { connectionId, search, ...queries } = a
        return nango.listConnections(connectionId, search, queries)
      }
      return nango.listConnections(a)
    case 'triggerSync':
      return nango.triggerSync(a.providerConfigKey, a.syncs, a.connectionId, a.opts ?? a.syncMode)
    case 'startSync':
    case 'pauseSync':
    case 'syncStatus':
      return nango[call](a.providerConfigKey, a.syncs, a.connectionId)
    case 'updateSyncConnectionFrequency':
      return nango.updateSyncConnectionFrequency(a.providerConfigKey, a.sync, a.connectionId, a.frequency)
    case 'listIntegrations':
    case 'getEnvironmentVariables':
      return nango[call]()
    case 'getIntegration':
      return nango.getIntegration({ uniqueKey: a.uniqueKey }, a.include ? { include: a.include } : undefined)
    case 'getScriptsConfig':
      return nango.getScriptsConfig(a.format)
    case 'updateIntegration':
      return nango.updateIntegration({ uniqueKey: a.uniqueKey }, a.body)
    case 'deleteIntegration':
      return nango.deleteIntegration(a.providerConfigKey)
    case 'listFunctions':
    case 'getFunction':
    case 'getFunctionCode':
    case 'deleteFunction': {
      const { uniqueKey, name, ...queries } = a
      return nango[call]({ uniqueKey, name }, queries)
    }
    case 'getRawTokenResponse':
      return nango.getRawTokenResponse(a.providerConfigKey, a.connectionId, a.forceRefresh, a.refreshGithubAppJwtToken)
    case 'waitForConnection':
      return nango.waitForConnection(a.integrationKey, a.userId)
    default:
      // Object-argument methods: listRecords, pruneRecords, getAsyncActionResult,
      // createConnectSession, createReconnectSession, proxy, createSyncVariant,
      // deleteSyncVariant, listProviders, getProvider, getProviderTemplates, createIntegration,
      // createQuickstartIntegration.
      return nango[call](a)
  }
}

// Cases that the official positional API cannot express: both `opts` and the legacy sync mode
// (the positional triggerSync has one slot for them). Core's own runner covers it.
const NOT_POSITIONAL = (c) => c.call === 'triggerSync' && 'opts' in c.args && 'syncMode' in c.args

test('requests.json: method, path, query, headers and body of every call', async () => {
  const suite = vectors('requests.json')
  const nango = new Nango({ secretKey: suite.secretKey, host: url, maxRetries: 0 })
  let checked = 0
  for (const c of suite.cases.filter((c) => !NOT_POSITIONAL(c))) {
    const args = JSON.parse(JSON.stringify(c.args).replaceAll(suite.host, url))
    received = []
    if (c.error) {
      await assert.rejects(invoke(nango, c.call, args), (err) => {
        assert.ok(err instanceof NangoError || err instanceof TypeError, `${c.name}: ${err}`)
        if (err instanceof NangoError) assert.equal(err.nangoCode, c.error, c.name)
        return true
      })
      assert.equal(received.length, 0, `${c.name}: nothing may be sent`)
      checked++
      continue
    }
    await invoke(nango, c.call, args).catch(() => {})
    assert.equal(received.length, 1, `${c.name}: one request`)
    const got = received[0]
    const expect = c.expect
    assert.equal(got.method, expect.method, c.name)
    assert.equal(got.path, expect.path, c.name)
    // Known core transport difference (reported): the `url` crate under reqwest escapes `'` as
    // %27 in query strings of http(s) URLs, where the Node SDK sends it raw. Servers decode both
    // alike; every other byte of the query must match exactly.
    if ('query' in expect) assert.equal(got.query.replaceAll('%27', "'"), expect.query.replaceAll('%27', "'"), c.name)
    for (const [name, value] of Object.entries(expect.headers ?? {})) {
      assert.equal(got.headers[name.toLowerCase()], value, `${c.name}: header ${name}`)
    }
    for (const name of expect.absentHeaders ?? []) {
      assert.equal(got.headers[name.toLowerCase()], undefined, `${c.name}: header ${name} must be absent`)
    }
    if ('body' in expect) assert.deepEqual(JSON.parse(got.body), expect.body, c.name)
    if ('bodyText' in expect) assert.equal(got.body, expect.bodyText, c.name)
    checked++
  }
  assert.ok(checked >= 60, `ran ${checked} request vectors`)
})

// `request` of an error case → a call that sends it.
function callFor(nango, request) {
  const [method, path] = request.split(' ')
  if (path === '/records/') return nango.listRecords({ providerConfigKey: 'p', connectionId: 'c', model: 'M' })
  if (path === '/connections/metadata') return nango.setMetadata('p', 'c1', {})
  if (path.startsWith('/connections/')) return nango.getConnection('p', path.split('/')[2])
  if (path.startsWith('/action/') && method === 'GET') return nango.getAsyncActionResult({ id: path.split('/')[2] })
  if (path === '/action/trigger') return nango.triggerAction('p', 'c', 'a', {})
  if (path === '/sync/trigger') return nango.triggerSync('p', ['s'], 'c')
  if (path.startsWith('/proxy/')) return nango.get({ endpoint: path.slice('/proxy'.length), providerConfigKey: 'p', connectionId: 'c' })
  return nango.get({ endpoint: path, providerConfigKey: 'p', connectionId: 'c' })
}

test('errors.json: status and body map to the same codes as in Rust', async () => {
  const suite = vectors('errors.json')
  const nango = new Nango({ secretKey: '11111111-2222-4333-8444-555555555555', host: url, maxRetries: 0 })
  let checked = 0
  for (const c of suite.cases) {
    respond = () => ({ status: c.status, headers: c.headers ?? {}, body: c.body })
    const outcome = await callFor(nango, c.request).then(
      (value) => ({ value }),
      (error) => ({ error }),
    )
    if (c.expect.ok) {
      assert.ok(!outcome.error, `${c.name}: ${outcome.error}`)
    } else {
      const err = outcome.error
      assert.ok(err instanceof NangoError, `${c.name}: expected a NangoError, got ${err}`)
      assert.equal(err.nangoCode, c.expect.code, c.name)
      // axios' code where axios raises the same failure (core's `axios_code`), else ours.
      assert.equal(err.code, c.expect.axiosCode ?? c.expect.code, `${c.name}: code`)
      assert.equal(err.isAxiosError, c.expect.axiosCode != null, `${c.name}: isAxiosError`)
      if (err instanceof pkg.NangoApiError) {
        assert.equal(err.statusText, err.response.statusText, c.name)
        assert.equal(typeof err.statusText, 'string', c.name)
      }
      const row = suite.classes.find((r) => r.code === c.expect.code)
      assert.equal(err.constructor, pkg[row.node], `${c.name}: class of ${c.expect.code}`)
      if ('serverCode' in c.expect) assert.equal(err.serverCode, c.expect.serverCode, c.name)
      if (c.expect.retryAfterMs === null) assert.equal(err.retryAfter, null, c.name)
      // HTTP-date values are relative to the vector's `now`; seconds values are absolute.
      if (c.expect.retryAfterMs != null && /^\d+$/.test(c.headers?.['Retry-After'] ?? '')) {
        assert.equal(err.retryAfter * 1000, c.expect.retryAfterMs, c.name)
      }
      if (c.expect.rateLimit) assert.deepEqual(err.rateLimit, c.expect.rateLimit, c.name)
      if (c.expect.errorsPaths) assert.deepEqual(err.errors.map((e) => e.path), c.expect.errorsPaths, c.name)
      if ('payload' in c.expect) assert.deepEqual(err.payload, c.expect.payload, c.name)
      if (c.status < 300) assert.equal(err.status, c.status, c.name)
    }
    checked++
  }
  respond = () => ({ status: 200, headers: { 'content-type': 'application/json' }, body: GENERIC_BODY })
  assert.equal(checked, suite.cases.length)
})

function headersObject(pairs) {
  const out = {}
  for (const [name, value] of pairs) {
    const key = name
    if (key in out) out[key] = [].concat(out[key], value)
    else out[key] = value
  }
  return out
}

test('webhooks.json: signatures', () => {
  const suite = vectors('webhooks.json')
  let checked = 0
  for (const c of suite.signatures) {
    // Core refuses an empty signing key at construction, so there is nothing to verify with.
    if (c.key === '') {
      assert.throws(() => new Nango({ secretKey: 'k', webhookSigningKey: '' }), NangoError)
      checked++
      continue
    }
    const nango = new Nango({ secretKey: 'not-the-signing-key', webhookSigningKey: c.key, host: 'http://127.0.0.1:9' })
    const headers = headersObject(c.headers)
    assert.equal(nango.verifyIncomingWebhookRequest(c.body, headers), c.hmac.valid, c.name)
    assert.equal(nango.verifyIncomingWebhookRequest(Buffer.from(c.body, 'utf8'), headers), c.hmac.valid, c.name)
    if (c.hmac.valid && c.body === '') {
      // Verified but not JSON: a NangoArgumentError on rawBody, never a crash.
      assert.throws(() => nango.parseWebhook(c.body, headers), (err) => err.nangoCode === 'invalid_argument')
    } else if (c.hmac.valid) {
      assert.deepEqual(nango.parseWebhook(c.body, headers) !== null, true, c.name)
    } else {
      assert.throws(() => nango.parseWebhook(c.body, headers), (err) => err.nangoCode === 'invalid_signature')
    }
    checked++
  }
  assert.equal(checked, suite.signatures.length)
})

function at(value, path) {
  return path.split('.').reduce((v, key) => (v == null ? undefined : v[key]), value)
}

test('webhooks.json: typed payloads', () => {
  const suite = vectors('webhooks.json')
  const key = '11111111-2222-4333-8444-555555555555'
  const nango = new Nango({ secretKey: key, host: 'http://127.0.0.1:9' })
  for (const c of suite.payloads) {
    const body = JSON.stringify(c.body)
    const signature = createHmac('sha256', key).update(body).digest('hex')
    const parsed = nango.parseWebhook(body, { 'x-nango-hmac-sha256': signature })
    if (c.kind !== 'unknown') assert.equal(parsed.type, c.kind, c.name)
    for (const [path, expected] of Object.entries(c.fields)) {
      const actual = at(parsed, path)
      if (expected === null) assert.ok(actual == null, `${c.name}: ${path}`)
      else assert.deepEqual(actual, expected, `${c.name}: ${path}`)
    }
  }
})

test('errors.json classes: every core code maps to the class the vector names, exported and typed', () => {
  const { classes } = vectors('errors.json')
  const dts = readFileSync(join(repoRoot, 'bindings-node', 'nango.d.ts'), 'utf8')
  const mjs = readFileSync(join(repoRoot, 'bindings-node', 'nango.mjs'), 'utf8')
  assert.ok(classes.length >= 25)
  for (const { code, node } of classes) {
    const Class = pkg[node]
    assert.equal(typeof Class, 'function', `${node} is exported`)
    assert.ok(Class === NangoError || Class.prototype instanceof NangoError, `${node} is a NangoError`)
    assert.match(dts, new RegExp(`export declare class ${node} `), `${node} is declared in nango.d.ts`)
    assert.match(mjs, new RegExp(`\\b${node},`), `${node} is exported by nango.mjs`)
    // What the native side hands the factory: the code, a message, and (for API codes) a status.
    for (const status of [undefined, 400]) {
      const err = fromInfo({ code, message: 'm', status })
      assert.equal(err.constructor, Class, `${code} (status ${status}) -> ${node}, got ${err.constructor.name}`)
      assert.equal(err.nangoCode, code)
    }
  }
})

test('headers.json: proxy results and err.response fold headers as core does', async () => {
  const suite = vectors('headers.json')
  const nango = new Nango({ secretKey: '11111111-2222-4333-8444-555555555555', host: url, maxRetries: 0 })
  const config = { endpoint: '/h', providerConfigKey: 'p', connectionId: 'c' }
  // Only the vector's names: node:http adds its own (date, connection, content-length, ...).
  const pick = (headers, expect) => Object.entries(headers).filter(([name]) => name in expect)
  for (const c of suite.cases) {
    for (const status of [200, 404]) {
      respond = () => ({ status, headers: c.received.flat(), body: '{}' })
      const res = await nango.proxy(config).catch((err) => err.response)
      assert.equal(res.status, status, c.name)
      assert.deepEqual(pick(res.headers, c.expect), Object.entries(c.expect), `${c.name} (${status})`)
    }
  }
  respond = () => ({ status: 200, headers: { 'content-type': 'application/json' }, body: GENERIC_BODY })
})

test('config.json: core bounds the settings; Node throws its NangoArgumentError', () => {
  const suite = vectors('config.json')
  for (const c of suite.cases) {
    const config = { apiKey: '11111111-2222-4333-8444-555555555555', host: 'http://127.0.0.1:9' }
    if ('timeout' in c.settings) config.timeoutMs = c.settings.timeout * 1000
    if ('maxRetries' in c.settings) config.maxRetries = c.settings.maxRetries
    if (c.ok) {
      new Nango(config)
      continue
    }
    assert.throws(() => new Nango(config), (err) => {
      assert.ok(err instanceof NangoArgumentError, `${c.name}: ${err}`)
      assert.equal(err.nangoCode, c.error, c.name)
      assert.equal(err.field, c.field, c.name)
      return true
    })
  }
  // NaN is not a JSON number: the argument conversion refuses it as a TypeError.
  assert.throws(() => new Nango({ apiKey: 'k', timeoutMs: NaN }), TypeError)
})
