// Starting the emulator binary and reading its JSON ready line, for both JS suites (node/,
// browser/): the start function of the npm package @nango-rs/emulator, which users' test suites
// run too. Each suite wraps the result in its own Emulator class.
export { spawnEmulator } from '../../emulator/npm/index.js'
