// startEmulator against the real binary: ready line, keys, admin API, config, stop by PID.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { emulatorBinary, startEmulator, platformPackage } from '../index.js'

test('starts on a free port, answers with its keys, and stops', async () => {
  const emu = await startEmulator({ secretKey: '11111111-2222-4333-8444-555555555555' })
  try {
    assert.match(emu.url, /^http:\/\/127\.0\.0\.1:\d+$/)
    assert.equal(emu.secretKey, '11111111-2222-4333-8444-555555555555')
    assert.ok(emu.signingKey.length > 0)
    assert.deepEqual(await emu.admin.health(), { ok: true })
    const created = await emu.admin.createConnection({ provider_config_key: 'zendesk', connection_id: 'c-1' })
    assert.equal(created.connection_id, 'c-1')
    // The public API with the secret key sees it.
    const seen = await fetch(`${emu.url}/connections/c-1?provider_config_key=zendesk`, {
      headers: { Authorization: `Bearer ${emu.secretKey}` }
    })
    assert.equal(seen.status, 200)
    // A wrong key is refused by the admin API.
    const refused = await fetch(`${emu.url}/_emulator/counters`, { headers: { Authorization: 'Bearer nope' } })
    assert.equal(refused.status, 401)
  } finally {
    await emu.stop()
  }
  await assert.rejects(fetch(`${emu.url}/_emulator/health`))
})

test('a config object becomes the emulator config', async () => {
  const emu = await startEmulator({
    config: { connections: [{ connection_id: 'from-config', provider_config_key: 'zendesk' }] }
  })
  try {
    const seen = await fetch(`${emu.url}/connections/from-config?provider_config_key=zendesk`, {
      headers: { Authorization: `Bearer ${emu.secretKey}` }
    })
    assert.equal(seen.status, 200)
  } finally {
    await emu.stop()
  }
})

test('a missing binary or a bad argument rejects instead of hanging', async () => {
  await assert.rejects(startEmulator({ bin: '/nonexistent/nango-emulator' }), /ENOENT/)
  await assert.rejects(startEmulator({ port: -1 }), /exited \(2\) before its ready line/)
})

test('names the per-platform package', () => {
  assert.equal(platformPackage('darwin', 'arm64'), '@nango-rs/emulator-darwin-arm64')
  assert.equal(platformPackage('win32', 'x64'), '@nango-rs/emulator-win32-x64-msvc')
  assert.match(platformPackage('linux', 'x64'), /^@nango-rs\/emulator-linux-x64-(gnu|musl)$/)
})

test('the packed tarball carries the binary and runs without NANGO_EMULATOR_BIN', { timeout: 120_000 }, async () => {
  const { execFileSync } = await import('node:child_process')
  const { mkdtempSync, rmSync } = await import('node:fs')
  const { tmpdir } = await import('node:os')
  const { join } = await import('node:path')
  const dir = mkdtempSync(join(tmpdir(), 'nango-emulator-npm-'))
  try {
    // A stripped copy of the debug binary: what a release would ship is stripped too, and packing
    // 100 MB of debug info would take most of this test's time.
    const bin = join(dir, 'nango-emulator')
    execFileSync('strip', ['-o', bin, emulatorBinary()])
    const npm = (cwd, ...args) => execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
    const packEnv = { ...process.env, NANGO_EMULATOR_BIN: bin }
    const [packed] = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', dir], {
      cwd: new URL('..', import.meta.url).pathname, env: packEnv, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore']
    }))
    assert.ok(packed.files.some((f) => f.path === 'bin/nango-emulator'), 'bin/nango-emulator is in the tarball')
    npm(dir, 'init', '-y')
    npm(dir, 'install', '--no-audit', '--no-fund', join(dir, packed.filename))
    const script = "import('@nango-rs/emulator').then(async ({ startEmulator }) => { const e = await startEmulator(); console.log((await e.admin.health()).ok); await e.stop() })"
    const env = { ...process.env }
    delete env.NANGO_EMULATOR_BIN
    const out = execFileSync(process.execPath, ['-e', script], { cwd: dir, env, encoding: 'utf8' })
    assert.equal(out.trim(), 'true')
  } finally {
    rmSync(dir, { recursive: true, force: true })
    // prepack staged the stripped copy into this package's bin/: not for the source tree.
    rmSync(new URL('../bin', import.meta.url), { recursive: true, force: true })
  }
})
