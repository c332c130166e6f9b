// `npm pack` / `npm publish` (prepack): puts the host's binary into bin/ when NANGO_EMULATOR_BIN
// names one, so the tarball runs on its own. The per-platform packages are staged the same way,
// one binary each (see README.md).
import { chmodSync, copyFileSync, mkdirSync } from 'node:fs'

const from = process.env.NANGO_EMULATOR_BIN
if (from) {
  const to = `bin/nango-emulator${process.platform === 'win32' ? '.exe' : ''}`
  mkdirSync('bin', { recursive: true })
  copyFileSync(from, to)
  chmodSync(to, 0o755)
  console.error(`staged ${from} as ${to}`)
}
