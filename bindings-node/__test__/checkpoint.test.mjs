// tests/vectors/checkpoints.json: the records iterator's checkpoint after each number of records
// handed out, against the vector's pages on a loopback server (the same cases Rust and Python run).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import http from 'node:http'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const { Nango } = require('../nango.js')
const vectors = JSON.parse(readFileSync(new URL('../../tests/vectors/checkpoints.json', import.meta.url), 'utf8'))

async function serve(pages) {
  const server = http.createServer((req, res) => {
    const cursor = new URL(req.url, 'http://x').searchParams.get('cursor')
    const index = cursor ? Number(cursor.replace('page-', '')) : 0
    const records = pages[index].map((id) => ({ id, _nango_metadata: { cursor: `cur-${id}` } }))
    const next = index + 1 < pages.length ? `page-${index + 1}` : null
    res.setHeader('content-type', 'application/json')
    res.end(JSON.stringify({ records, next_cursor: next }))
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((resolve) => server.close(resolve)) }
}

for (const c of vectors.cases) {
  test(`checkpoint: ${c.name}`, async () => {
    const server = await serve(c.pages)
    try {
      const nango = new Nango({ apiKey: 'key', host: server.url })
      const config = { providerConfigKey: 'p', connectionId: 'c', model: 'Ticket', ...(c.start ? { cursor: c.start } : {}) }
      const it = nango.records(config)
      for (let i = 0; i < c.take; i++) assert.equal((await it.next()).done, false)
      assert.equal(it.checkpoint, c.checkpoint)
      await it.return()
    } finally {
      await server.close()
    }
  })
}
