// HTTPS as Node users configure it, against the emulator serving TLS with a certificate signed by
// a CA generated for this run (the workspace's `test-ca` helper, rcgen): `caCertificates`,
// NODE_EXTRA_CA_CERTS, the `tls` error on an untrusted certificate, HTTPS_PROXY (CONNECT) and
// NO_PROXY. The cases that need environment variables run in a child process.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync, execFile } from 'node:child_process'
import { createServer, connect } from 'node:net'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createRequire } from 'node:module'
import { startEmulator, zendeskConfig, repoRoot } from './support/emulator.mjs'

const require = createRequire(import.meta.url)
const { Nango, NangoArgumentError, NangoTransportError } = require('../nango.js')

const testCaBin = process.env.NANGO_TEST_CA_BIN ?? join(repoRoot, 'target', 'x86_64-unknown-linux-gnu', 'debug', 'test-ca')
// Variables of the machine that would change the child's trust or proxy decisions.
const INHERITED = ['SSL_CERT_FILE', 'SSL_CERT_DIR', 'NODE_EXTRA_CA_CERTS', 'HTTPS_PROXY', 'HTTP_PROXY', 'ALL_PROXY', 'NO_PROXY'].flatMap(
  (name) => [name, name.toLowerCase()],
)

let dir, emu, ca
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'nango-node-tls-'))
  execFileSync(testCaBin, [dir])
  ca = readFileSync(join(dir, 'ca.pem'), 'utf8')
  emu = await startEmulator(
    zendeskConfig({ seed: 3, extra: { tls_cert: join(dir, 'server.pem'), tls_key: join(dir, 'server-key.pem') } }),
  )
})
after(async () => {
  await emu?.stop()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

const RECORDS = { providerConfigKey: 'zendesk', connectionId: 'conn-1', model: 'Ticket' }

test('the emulator serves HTTPS', () => {
  assert.match(emu.url, /^https:\/\/127\.0\.0\.1:\d+$/)
})

test('caCertificates as a string, a Buffer or an array is trusted', async () => {
  for (const caCertificates of [ca, Buffer.from(ca), [readFileSync(join(dir, 'other-ca.pem')), ca]]) {
    const nango = new Nango({ host: emu.url, secretKey: emu.secretKey, caCertificates })
    const page = await nango.listRecords(RECORDS)
    assert.equal(page.records.length, 3)
  }
})

test('an untrusted certificate rejects fast with code tls and says how to add a CA', async () => {
  for (const caCertificates of [undefined, readFileSync(join(dir, 'other-ca.pem'))]) {
    const nango = new Nango({ host: emu.url, secretKey: emu.secretKey, caCertificates, maxRetries: 5 })
    const started = performance.now()
    const err = await nango.listRecords(RECORDS).then(
      () => assert.fail('resolved'),
      (err) => err,
    )
    const elapsed = performance.now() - started
    assert.ok(err instanceof NangoTransportError, String(err))
    assert.equal(err.nangoCode, 'tls')
    assert.equal(err.notSent, true)
    assert.match(err.message, /caCertificates/)
    assert.match(err.message, /NODE_EXTRA_CA_CERTS/)
    // Five retries with backoff would take seconds: a refused certificate is not retried.
    assert.ok(elapsed < 1500, `took ${elapsed} ms`)
  }
})

test('caCertificates that are not PEM throw NangoArgumentError naming the option', () => {
  for (const [caCertificates, field] of [
    ['not a certificate', 'ca_certificates[0]'],
    [[ca, Buffer.from('-----BEGIN CERTIFICATE-----\naGVsbG8=\n-----END CERTIFICATE-----\n')], 'ca_certificates[1]'],
  ]) {
    assert.throws(
      () => new Nango({ host: emu.url, secretKey: emu.secretKey, caCertificates }),
      (err) => err instanceof NangoArgumentError && err.nangoCode === 'invalid_argument' && err.field === field,
    )
  }
  assert.throws(() => new Nango({ host: emu.url, secretKey: emu.secretKey, caCertificates: [42] }), TypeError)
})

/** Runs one listRecords in a child process with `vars`; resolves with its output line. */
function child(vars) {
  const script = `
    const { Nango } = require(${JSON.stringify(join(repoRoot, 'bindings-node', 'nango.js'))})
    const report = (err) => console.log('error ' + err.nangoCode + ' ' + (err.field ?? ''))
    let nango
    try {
      nango = new Nango({ maxRetries: 0 })
    } catch (err) {
      report(err)
    }
    nango?.listRecords(${JSON.stringify(RECORDS)}).then((page) => console.log('ok ' + page.records.length), report)`
  const env = { ...process.env, NANGO_HOST: emu.url, NANGO_SECRET_KEY: emu.secretKey }
  for (const name of INHERITED) delete env[name]
  Object.assign(env, vars)
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['-e', script], { env }, (err, stdout) => (err ? reject(err) : resolve(stdout.trim())))
  })
}

test('NODE_EXTRA_CA_CERTS is honoured', async () => {
  assert.equal(await child({ NODE_EXTRA_CA_CERTS: join(dir, 'ca.pem') }), 'ok 3')
  assert.match(await child({ NODE_EXTRA_CA_CERTS: join(dir, 'other-ca.pem') }), /^error tls/)
  assert.match(await child({}), /^error tls/)
  const bad = join(dir, 'bad.pem')
  writeFileSync(bad, 'not a certificate')
  // Node itself warns about the file and goes on; the client refuses to start without its CA.
  assert.equal(await child({ NODE_EXTRA_CA_CERTS: bad }), 'error invalid_argument NODE_EXTRA_CA_CERTS')
})

/** A CONNECT proxy on 127.0.0.1 that counts its tunnels. */
async function connectProxy() {
  const state = { tunnels: 0 }
  const server = createServer((client) => {
    let head = Buffer.alloc(0)
    const onData = (chunk) => {
      head = Buffer.concat([head, chunk])
      const end = head.indexOf('\r\n\r\n')
      if (end < 0) return
      client.off('data', onData)
      const [method, target] = head.subarray(0, end).toString('latin1').split(' ')
      if (method !== 'CONNECT') return client.end('HTTP/1.1 405 Method Not Allowed\r\n\r\n')
      const [host, port] = target.split(':')
      const upstream = connect(Number(port), host, () => {
        state.tunnels += 1
        client.write('HTTP/1.1 200 Connection established\r\n\r\n')
        const rest = head.subarray(end + 4)
        if (rest.length) upstream.write(rest)
        client.pipe(upstream).pipe(client)
      })
      upstream.on('error', () => client.destroy())
      client.on('error', () => upstream.destroy())
    }
    client.on('data', onData)
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${server.address().port}`, state, close: () => server.close() }
}

test('HTTPS_PROXY tunnels with CONNECT; NO_PROXY bypasses it', async () => {
  const proxy = await connectProxy()
  try {
    const trust = { NODE_EXTRA_CA_CERTS: join(dir, 'ca.pem') }
    assert.equal(await child({ ...trust, HTTPS_PROXY: proxy.url }), 'ok 3')
    assert.equal(proxy.state.tunnels, 1)
    assert.equal(await child({ ...trust, HTTPS_PROXY: proxy.url, NO_PROXY: '127.0.0.1' }), 'ok 3')
    assert.equal(proxy.state.tunnels, 1)
  } finally {
    proxy.close()
  }
})
