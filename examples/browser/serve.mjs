// Development server for the page: static files from this folder (the package comes through
// node_modules/@nango-rs/frontend) and `/api/*` passed to your backend, so the page and the
// backend share one origin. BACKEND_URL (default http://127.0.0.1:3000), PORT (default 8080).
import { createServer } from 'node:http'
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { extname, join, normalize } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('.', import.meta.url))
const backend = process.env.BACKEND_URL || 'http://127.0.0.1:3000'

// Say what to run first, instead of serving a page whose popup would wait for a missing module.
const pkg = join(root, 'node_modules', '@nango-rs', 'frontend')
if (!existsSync(pkg)) {
  console.error('examples/browser: @nango-rs/frontend is not installed: run `npm ci` in examples/browser')
  process.exit(1)
}
if (!existsSync(join(pkg, 'pkg', 'nango_wasm_bg.wasm'))) {
  console.error('examples/browser: the browser package is not built: run `make setup wasm-build` at the repository root')
  process.exit(1)
}
const types = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm' }

const server = createServer(async (req, res) => {
  const path = new URL(req.url, 'http://localhost').pathname
  if (path.startsWith('/api/')) {
    const chunks = []
    for await (const chunk of req) chunks.push(chunk)
    const answer = await fetch(backend + path.slice(4), {
      method: req.method,
      headers: { 'content-type': req.headers['content-type'] ?? 'application/json' },
      body: chunks.length ? Buffer.concat(chunks) : undefined,
    }).catch(() => null)
    if (!answer) return res.writeHead(502).end()
    return res.writeHead(answer.status, { 'content-type': 'application/json' }).end(await answer.text())
  }
  const file = normalize(join(root, path === '/' ? 'index.html' : path))
  if (!file.startsWith(root) || !(extname(file) in types)) return res.writeHead(404).end()
  let body
  try {
    body = await readFile(file)
  } catch {
    return res.writeHead(404).end()
  }
  res.writeHead(200, { 'content-type': types[extname(file)] }).end(body)
})
server.listen(Number(process.env.PORT ?? 8080), '127.0.0.1', () => {
  console.log(`serving http://127.0.0.1:${server.address().port}`)
})
process.on('SIGTERM', () => server.close(() => process.exit(0)))
