// Renames the wasm-bindgen glue's import keys, import module and `wasm.<export>` uses to the short
// names that `wasm-opt --minify-imports-and-exports-and-modules` gave them in the .wasm (the map it
// prints is argv[2]; the glue is argv[3], rewritten in place).
//
// Why: wasm-bindgen names every import `__wbg_<name>_<16 hex digits>` and every closure export
// `wasm_bindgen__convert__closures_____invoke__h<hash>`; ~130 such names, in both the .wasm and
// the glue, were about 3 KB of the gzipped total (hashes do not compress).
//
// Every rename must match exactly where expected, or the build fails: a glue the .wasm does not
// fit must never ship.
import { readFileSync, writeFileSync } from 'node:fs';

const [mapPath, gluePath] = process.argv.slice(2);
const map = JSON.parse(readFileSync(mapPath, 'utf8'));
let js = readFileSync(gluePath, 'utf8');
const fail = (message) => {
  console.error(`minify-names: ${message}`);
  process.exit(1);
};
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const count = (re) => (js.match(re) || []).length;

// The pass renames every module to "a": only correct when there is one.
const modules = new Set(map.imports.map(([module]) => module));
if (modules.size !== 1) fail(`expected one import module, got ${[...modules].join(', ')}`);
const [module] = modules;
const moduleKey = new RegExp(`${escape(JSON.stringify(module))}: import0`, 'g');
if (count(moduleKey) !== 1) fail(`module key ${module} not found once`);
js = js.replace(moduleKey, () => '"a": import0');

// Imports: the keys of the `import0` object literal, `        <name>: function`.
for (const [, from, to] of map.imports) {
  const key = new RegExp(`^(\\s+)${escape(from)}:`, 'gm');
  if (count(key) !== 1) fail(`import ${from} not found once`);
  js = js.replace(key, (_, indent) => `${indent}${JSON.stringify(to)}:`);
}

// Exports: every `wasm.<name>` (some, e.g. the abort handler, are not used by the glue at all).
for (const [from, to] of map.exports) {
  const use = new RegExp(`\\bwasm\\.${escape(from)}\\b`, 'g');
  js = js.replace(use, () => `wasm[${JSON.stringify(to)}]`);
}
// Any `wasm.<name>` left would be an export the .wasm no longer has under that name.
const left = js.match(/\bwasm\.[A-Za-z_$][\w$]*/g);
if (left) fail(`export uses left unrenamed: ${[...new Set(left)].join(', ')}`);
writeFileSync(gluePath, js);
console.log(`minify-names: ${map.imports.length} imports, ${map.exports.length} exports renamed`);
