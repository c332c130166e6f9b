import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startEmulator } from '@nango-rs/emulator'
import { Nango } from '@nango-rs/node'

let emu
before(async () => { emu = await startEmulator() })
after(() => emu.stop())

test('my code sees the connection a user made', async () => {
  await emu.admin.createConnection({ provider_config_key: 'zendesk', connection_id: 'user-1' })
  const nango = new Nango({ secretKey: emu.secretKey, host: emu.url })
  const connection = await nango.getConnection('zendesk', 'user-1')
  assert.equal(connection.connection_id, 'user-1')
})
