#!/usr/bin/env node
// `npx @nango-rs/node models [options]`: typed records from the server's own schema. The command
// is core's (`nango::models::run`, through the addon's `modelsCommand`); this file only prints.
'use strict'

const { modelsCommand } = require('./index.js')

async function main(argv) {
  const [command, ...args] = argv
  if (command !== 'models') {
    const help = command === '-h' || command === '--help'
    const { stdout } = await modelsCommand(['--help'])
    const text = `usage: npx @nango-rs/node models [options]\n\n${stdout}`
    if (help) {
      process.stdout.write(text)
      return 0
    }
    process.stderr.write(`nango-rs: ${command === undefined ? 'a command is needed' : `unknown command ${JSON.stringify(command)}`}\n${text}`)
    return 2
  }
  try {
    const { stdout, stderr } = await modelsCommand(args)
    process.stderr.write(stderr)
    process.stdout.write(stdout)
    return 0
  } catch (err) {
    process.stderr.write(`nango-rs models: ${err && err.message ? err.message : String(err)}\n`)
    return 1
  }
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code
})
