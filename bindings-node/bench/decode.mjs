// Times the ways a page can cross napi: the JSON text parsed by V8 (one string, or the records
// split into texts under 128 KiB as records() does), or field by field.
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
// The bench-only exports are in the addon built with the `bench` cargo feature
// (`npm run build:bench`); the package's index.js does not list them.
const { decodeJsonForBench, BenchRecordsPage } = require('../nango-node.linux-x64-gnu.node')
if (typeof decodeJsonForBench !== 'function') {
  throw new Error('the addon lacks the bench exports: build it with `npm run build:bench`')
}
const [url, secretKey] = process.argv.slice(2)
const res = await fetch(`${url}/records/?model=Ticket&limit=1000`, {
  headers: { authorization: `Bearer ${secretKey}`, 'connection-id': 'conn-1', 'provider-config-key': 'zendesk' },
})
const text = await res.text()
const bytes = Buffer.from(text, 'utf8')
const RUNS = 60
function median(fn) {
  const times = []
  for (let i = 0; i < RUNS + 5; i++) {
    const start = process.hrtime.bigint()
    fn()
    times.push(Number(process.hrtime.bigint() - start) / 1e6)
  }
  // The minimum: the machine is shared, and the fastest run is the least disturbed one.
  return Math.min(...times.slice(5))
}
const textMs = median(() => decodeJsonForBench(bytes, false))
const fieldsMs = median(() => decodeJsonForBench(bytes, true))
const page = BenchRecordsPage.prepare(bytes)
const chunksMs = median(() => page.parse())
const jsMs = median(() => JSON.parse(text))
const jsFromBytesMs = median(() => JSON.parse(bytes.toString('utf8')))
const ascii = /^[\x00-\x7f]*$/.test(text)
console.log(JSON.stringify({ bytes: Buffer.byteLength(text), runs: RUNS, textMs, chunksMs, fieldsMs, jsMs, jsFromBytesMs, ascii }))
