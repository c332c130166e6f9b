// The method matrix: every public method of the official @nangohq/node `Nango` class (read from
// its own .d.ts and prototype) exists on ours as a function. Fails naming what is missing.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'

const require = createRequire(import.meta.url)
const official = require('@nangohq/node')
const ours = require('../nango.js')

// Deliberate exceptions: official public methods we do not have, each with its reason. Empty:
// all of them are there.
const EXCEPTIONS = new Map()

/** The public methods of the official class: on its prototype and not `private` in its .d.ts. */
function officialMethods() {
  // The entry (dist/index.cjs) sits beside its declarations.
  const dts = readFileSync(join(dirname(require.resolve('@nangohq/node')), 'index.d.ts'), 'utf8')
  const body = dts.slice(dts.indexOf('export declare class Nango'))
  const privates = new Set([...body.matchAll(/^\s+private (\w+)/gm)].map((m) => m[1]))
  const declared = new Set([...body.matchAll(/^ {4}(\w+)(?:<[^(]*>)?\(/gm)].map((m) => m[1]))
  const onPrototype = Object.getOwnPropertyNames(official.Nango.prototype)
    .filter((name) => name !== 'constructor' && typeof official.Nango.prototype[name] === 'function')
  // Both views must agree, or the reading of the .d.ts went wrong.
  const publicOnPrototype = onPrototype.filter((name) => !privates.has(name)).sort()
  assert.deepEqual(publicOnPrototype, [...declared].filter((name) => name !== 'constructor').sort())
  return publicOnPrototype
}

test('the official class has 47 public methods (the matrix reads them right)', () => {
  assert.equal(officialMethods().length, 47)
})

test('every official method is a function on our Nango.prototype', () => {
  const missing = officialMethods().filter(
    (name) => !EXCEPTIONS.has(name) && typeof ours.Nango.prototype[name] !== 'function',
  )
  assert.deepEqual(missing, [], `missing on @nango-rs/node's Nango: ${missing.join(', ')}`)
})

test('every exception is still missing (a stale exception fails)', () => {
  for (const [name, reason] of EXCEPTIONS) {
    assert.notEqual(typeof ours.Nango.prototype[name], 'function', `${name} exists now; drop its exception (${reason})`)
  }
})

test('every runtime export of the official package is exported by ours', () => {
  const missing = Object.keys(official).filter((name) => !(name in ours))
  assert.deepEqual(missing, [], `missing exports: ${missing.join(', ')}`)
})
