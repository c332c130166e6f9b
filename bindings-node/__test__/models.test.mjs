// `npx @nango-rs/node models` (the package's `bin`, cli.js): TypeScript types from the emulator's
// own schema (`GET /scripts/config`), compiled with `tsc --strict --noEmit` against the package's
// types, and a deliberately wrong use that tsc must refuse; the records walked at run time are
// complete for the schema; failures exit non-zero with a clear message and never the key.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startEmulator, zendeskConfig } from './support/emulator.mjs'

const require = createRequire(import.meta.url)
const { Nango } = require('../nango.js')
const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..')
const cli = join(packageDir, require('../package.json').bin['nango-rs'])
const tsc = join(packageDir, 'node_modules', 'typescript', 'bin', 'tsc')
const TICKETS = 20

let emu
// Inside the package, so that `@nango-rs/node` resolves to it (its own name, through `exports`).
let dir

before(async () => {
  emu = await startEmulator(zendeskConfig({ seed: TICKETS }))
  dir = mkdtempSync(join(packageDir, '.models-test-'))
})

after(async () => {
  await emu?.stop()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

/** `node cli.js ARGS` with no NANGO_* variable but those in `env`. */
function run(args, env = {}) {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('NANGO_')))
  return spawnSync(process.execPath, [cli, ...args], { env: { ...clean, ...env }, encoding: 'utf8', timeout: 120_000 })
}

function typecheck(file) {
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, types: ['node'], skipLibCheck: false },
      files: [file],
    }),
  )
  return spawnSync(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json')], { encoding: 'utf8', timeout: 300_000 })
}

const USAGE = `
import { Nango } from '@nango-rs/node'
import type { NangoModels, Ticket } from './models.js'

export async function walk(nango: Nango): Promise<string[]> {
  const out: string[] = []
  for await (const ticket of nango.records<Ticket>({ providerConfigKey: 'zendesk', connectionId: 'conn-1', model: 'Ticket' })) {
    const revision: number = ticket.revision
    const status: 'open' | 'pending' | 'solved' = ticket.status
    const priority: 'low' | 'normal' | 'high' | undefined = ticket.priority
    out.push(ticket.id + ticket.title + ticket._nango_metadata.cursor + revision + status + (priority ?? ''))
  }
  const page = await nango.listRecords<Ticket>({ providerConfigKey: 'zendesk', connectionId: 'conn-1', model: 'Ticket' })
  const first: NangoModels['Ticket'] | undefined = page.records[0]
  return first === undefined ? out : [...out, first._nango_metadata.last_action]
}
`

// A wrong type: tsc must reject it, or the check above proves nothing.
const WRONG = `
import { Nango } from '@nango-rs/node'
import type { Ticket } from './models.js'

export async function wrong(nango: Nango): Promise<number> {
  for await (const ticket of nango.records<Ticket>({ providerConfigKey: 'zendesk', connectionId: 'conn-1', model: 'Ticket' })) {
    const revision: string = ticket.revision
    return revision.length
  }
  return 0
}
`

test('generated interfaces compile with tsc --strict, and a wrong use does not', () => {
  const out = join(dir, 'models.ts')
  const done = run(['models', '--lang', 'ts', '--out', out], { NANGO_HOST: emu.url, NANGO_SECRET_KEY: emu.secretKey })
  assert.equal(done.status, 0, done.stderr)
  assert.match(done.stderr, /wrote 1 record model from /)
  assert.ok(!(done.stdout + done.stderr).includes(emu.secretKey))
  const text = readFileSync(out, 'utf8')
  assert.match(text, /import type \{ NangoRecordMetadata \} from '@nango-rs\/node'/)
  assert.match(text, /export interface Ticket \{/)
  assert.match(text, /  _nango_metadata: NangoRecordMetadata\n/)

  writeFileSync(join(dir, 'usage.ts'), USAGE)
  const ok = typecheck('usage.ts')
  assert.equal(ok.status, 0, ok.stdout + ok.stderr)
  writeFileSync(join(dir, 'wrong.ts'), WRONG)
  const refused = typecheck('wrong.ts')
  assert.notEqual(refused.status, 0)
  assert.match(refused.stdout, /wrong\.ts.*TS2322: Type 'number' is not assignable to type 'string'/)
})

test('stdout without --out; the walked records carry every required key with its type', async () => {
  const done = run(['models', '--host', emu.url, '--secret-key', emu.secretKey, '--integration', 'zendesk'])
  assert.equal(done.status, 0, done.stderr)
  assert.match(done.stdout, /export interface Ticket \{/)
  assert.ok(!(done.stdout + done.stderr).includes(emu.secretKey))

  const nango = new Nango({ secretKey: emu.secretKey, host: emu.url })
  const [config] = await nango.getScriptsConfig()
  const schema = config.syncs[0].json_schema.definitions.Ticket
  const jsonType = { string: 'string', integer: 'number' }
  let count = 0
  for await (const ticket of nango.records({ providerConfigKey: 'zendesk', connectionId: 'conn-1', model: 'Ticket' })) {
    count += 1
    for (const key of schema.required) {
      assert.ok(key in ticket, `record ${ticket.id} lacks ${key}`)
      const declared = schema.properties[key].type
      assert.equal(typeof ticket[key], jsonType[declared] ?? typeof ticket[key], key)
    }
    assert.ok(schema.properties.status.enum.includes(ticket.status))
    assert.equal(typeof ticket._nango_metadata.cursor, 'string')
  }
  assert.equal(count, TICKETS)
})

test('failures: clear message, non-zero exit, never the key', () => {
  const key = 'sk-models-test-not-a-key-0123456789'
  const cases = [
    [['models', '--host', emu.url, '--secret-key', key], /unauthorized/],
    [['models', '--host', 'http://127.0.0.1:9', '--secret-key', key], /transport/],
    [['models', '--host', emu.url, '--secret-key', key, '--lang', 'go'], /expected ts, python or rust/],
    [['models', '--host', emu.url], /NANGO_SECRET_KEY/],
  ]
  for (const [args, expected] of cases) {
    const done = run(args)
    assert.equal(done.status, 1, `${args.join(' ')}: ${done.stderr}`)
    assert.match(done.stderr, expected)
    assert.ok(!(done.stdout + done.stderr).includes(key))
    assert.doesNotMatch(done.stderr, /panicked|    at /)
  }
  const unknown = run(['frobnicate'])
  assert.equal(unknown.status, 2)
  assert.match(unknown.stderr, /--lang ts\|python\|rust/)
})
