// Starting the emulator binary and reading its JSON ready line, for both JS suites (node/,
// browser/). Each suite wraps the result in its own Emulator class.
import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'

/** Spawns `bin args…` and resolves with `{ child, ready }` once the ready line is printed. */
export async function spawnEmulator (bin, args) {
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'ignore'] })
  const lines = createInterface({ input: child.stdout })
  const ready = await new Promise((resolve, reject) => {
    child.once('error', reject)
    child.once('exit', (code) => reject(new Error(`nango-emulator exited (${code}) before its ready line`)))
    lines.once('line', (line) => resolve(JSON.parse(line)))
  })
  child.removeAllListeners('exit')
  // Keep reading stdout so that the emulator never blocks on a full pipe.
  lines.on('line', () => {})
  return { child, ready }
}
