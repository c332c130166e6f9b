// Packaging as a user gets it: `npm pack`, install the tarball into an empty directory, then use
// it with both `import` and `require` on this Node, native binary included, against the emulator.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, cpSync, readFileSync, writeFileSync, existsSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startEmulator, zendeskConfig } from './support/emulator.mjs'

const pkgDir = join(dirname(fileURLToPath(import.meta.url)), '..')
const manifest = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'))
let work
let emu

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'nango-node-pack-'))
  emu = await startEmulator(zendeskConfig({ seed: 12 }))
})
after(async () => {
  await emu?.stop()
  if (work) rmSync(work, { recursive: true, force: true })
})

test('npm pack → npm install in an empty directory → import and require work', () => {
  // napi's layout: @nango-rs/node holds the JS and the loader, each platform's binary is its own
  // package (npm/<platform>/, an optionalDependency). Pack both from staging copies, the debug
  // binary stripped of its debug info: the same code, a few MB instead of ~80 MB, so packing takes
  // a second (`make package` builds and checks the release ones).
  const stage = join(work, 'stage')
  cpSync(pkgDir, stage, {
    recursive: true,
    filter: (src) => !/node_modules|__test__|bench|LICENSE-|[\\/]target[\\/]|[\\/]src[\\/]?/.test(src.slice(pkgDir.length)),
  })
  const binaries = readdirSync(stage).filter((f) => f.endsWith('.node'))
  assert.deepEqual(binaries, ['nango-node.linux-x64-gnu.node'], 'the native binary of this platform is built')
  const platform = join(work, 'linux-x64-gnu')
  cpSync(join(pkgDir, 'npm', 'linux-x64-gnu'), platform, { recursive: true })
  execFileSync('strip', ['--strip-debug', '-o', join(platform, binaries[0]), join(stage, binaries[0])])
  // The published manifest lists each platform package as an optionalDependency; the release adds
  // them (`napi pre-publish`) because a lock file cannot hold packages not on the registry yet.
  const staged = JSON.parse(readFileSync(join(stage, 'package.json'), 'utf8'))
  staged.optionalDependencies = Object.fromEntries(readdirSync(join(pkgDir, 'npm')).map((dir) => [`${staged.name}-${dir}`, staged.version]))
  writeFileSync(join(stage, 'package.json'), JSON.stringify(staged, null, 2))
  assert.ok(staged.optionalDependencies['@nango-rs/node-linux-x64-gnu'], 'the platform package is an optionalDependency')
  // The licence files live once, at the repository root: `prepack` copies them from the parent folder.
  for (const file of ['LICENSE-MIT', 'LICENSE-APACHE']) cpSync(join(pkgDir, '..', file), join(work, file))
  const pack = (dir) => join(work, execFileSync('npm', ['pack', '--silent', '--pack-destination', work], { cwd: dir, encoding: 'utf8' }).trim().split('\n').pop())
  const tarball = pack(stage)
  const listing = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' })
  for (const file of ['package/package.json', 'package/nango.js', 'package/nango.mjs', 'package/nango.d.ts', 'package/index.js', 'package/index.d.ts', 'package/errors.js',
    'package/README.md', 'package/LICENSE-MIT', 'package/LICENSE-APACHE']) {
    assert.ok(listing.includes(file), `${file} is in the tarball`)
  }
  assert.ok(!listing.includes('.node'), 'the main package ships no binary')
  const platformTarball = pack(platform)
  assert.ok(execFileSync('tar', ['-tzf', platformTarball], { encoding: 'utf8' }).includes(`package/${binaries[0]}`))

  const app = join(work, 'app')
  execFileSync('mkdir', ['-p', app])
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', private: true }))
  // Offline: the other platforms' packages cannot be fetched, and npm skips them (optional).
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--offline', tarball, platformTarball], { cwd: app, stdio: 'pipe' })
  assert.ok(existsSync(join(app, 'node_modules', '@nango-rs', 'node-linux-x64-gnu', binaries[0])))

  const call = `
    const nango = new Nango({ secretKey: ${JSON.stringify(emu.secretKey)}, host: ${JSON.stringify(emu.url)} })
    const page = await nango.listRecords({ providerConfigKey: 'zendesk', connectionId: 'conn-1', model: 'Ticket' })
    let caught = null
    try { await nango.getConnection('zendesk', 'nope') } catch (err) { caught = err }
    console.log(JSON.stringify({ records: page.records.length, isNangoError: caught instanceof NangoError, code: caught.nangoCode }))
  `
  writeFileSync(join(app, 'esm.mjs'), `import { Nango, NangoError } from '@nango-rs/node'\n${call}`)
  writeFileSync(join(app, 'cjs.cjs'), `const { Nango, NangoError } = require('@nango-rs/node')\n;(async () => {${call}})()`)
  for (const script of ['esm.mjs', 'cjs.cjs']) {
    const out = execFileSync(process.execPath, [script], { cwd: app, encoding: 'utf8' })
    assert.deepEqual(JSON.parse(out.trim()), { records: 12, isNangoError: true, code: 'not_found' }, script)
  }
  assert.equal(manifest.name, '@nango-rs/node')
})
