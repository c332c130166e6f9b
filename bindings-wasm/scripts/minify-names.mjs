// Gives the wasm's imports and exports short names: the module `./nango_wasm_bg.js` becomes `a`,
// every `__wbg_<name>_<16 hex digits>` import and every export but `memory` a one- or two-letter
// name, in the .wasm (argv[2]), in the wasm-bindgen glue (argv[3]: the import object's keys, the
// `wasm.<export>` uses) and in its declarations (argv[4], argv[5]: `InitOutput` and the .wasm's
// .d.ts), all rewritten in place.
//
// Why: ~85 imports, each naming the module and a hashed function, were about 2 KB of the gzipped
// package, and the ~30 exports (hashed closure shims among them) another ~0.4 KB: hashes do not
// compress. `memory` keeps its name for tools that read it; the declarations stay true.
//
// Every rename must match exactly where expected, or the build fails: a glue the .wasm does not
// fit must never ship.
import { readFileSync, writeFileSync } from 'node:fs';

const [wasmPath, gluePath, ...declarationPaths] = process.argv.slice(2);
const fail = (message) => {
  console.error(`minify-names: ${message}`);
  process.exit(1);
};

// --- The .wasm: rewrite the import section (id 2), copy every other section as is. ---
const wasm = readFileSync(wasmPath);
const leb = (bytes, at) => {
  let value = 0, shift = 0, byte;
  do {
    byte = bytes[at++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
  } while (byte & 0x80);
  return [value, at];
};
const encodeLeb = (value) => {
  const out = [];
  do {
    let byte = value % 128;
    value = Math.floor(value / 128);
    if (value > 0) byte |= 0x80;
    out.push(byte);
  } while (value > 0);
  return Buffer.from(out);
};
const encodeName = (name) => {
  const bytes = Buffer.from(name, 'utf8');
  return Buffer.concat([encodeLeb(bytes.length), bytes]);
};
// The length in bytes of an import's description after its kind byte (wasm core spec 5.5.5).
const descEnd = (bytes, kind, at) => {
  const limits = (p) => {
    const flags = bytes[p++];
    [, p] = leb(bytes, p);
    if (flags & 1) [, p] = leb(bytes, p);
    return p;
  };
  switch (kind) {
    case 0: return leb(bytes, at)[1]; // function: type index
    case 1: return limits(at + 1); // table: reftype, limits
    case 2: return limits(at); // memory: limits
    case 3: return at + 2; // global: valtype, mutability
    case 4: return leb(bytes, at + 1)[1]; // tag: attribute, type index
    default: return fail(`unknown import kind ${kind}`);
  }
};
const shortName = (i) => {
  const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
  let name = '';
  do {
    name += letters[i % letters.length];
    i = Math.floor(i / letters.length) - 1;
  } while (i >= 0);
  return name;
};

let js = readFileSync(gluePath, 'utf8');
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
// `wasm.<name>` in the glue (`wasm` holds the instance's exports).
const exportUse = (name) => new RegExp(`\\bwasm\\.${escape(name)}(?![\\w$])`, 'g');

if (wasm.readUInt32LE(0) !== 0x6d736100) fail(`${wasmPath} is not a wasm module`);
const parts = [wasm.subarray(0, 8)];
const renames = new Map(); // old import name -> new
const exportRenames = new Map(); // old export name -> new
const modules = new Set();
for (let at = 8; at < wasm.length;) {
  const id = wasm[at];
  const [size, start] = leb(wasm, at + 1);
  const end = start + size;
  if (id === 7) {
    // Exports: (name, kind byte, index) each.
    let [count, p] = leb(wasm, start);
    const entries = [encodeLeb(count)];
    for (let i = 0; i < count; i++) {
      let length;
      [length, p] = leb(wasm, p);
      const name = wasm.toString('utf8', p, p + length);
      p += length;
      const next = leb(wasm, p + 1)[1];
      // Exports the glue does not use (`__abort_handler`) keep their names.
      if (name !== 'memory' && exportUse(name).test(js)) exportRenames.set(name, shortName(exportRenames.size));
      entries.push(encodeName(exportRenames.get(name) ?? name), wasm.subarray(p, next));
      p = next;
    }
    if (p !== end) fail('export section not read to its end');
    const payload = Buffer.concat(entries);
    parts.push(Buffer.from([7]), encodeLeb(payload.length), payload);
    at = end;
    continue;
  }
  if (id !== 2) {
    parts.push(wasm.subarray(at, end));
    at = end;
    continue;
  }
  let [count, p] = leb(wasm, start);
  const entries = [encodeLeb(count)];
  for (let i = 0; i < count; i++) {
    let length;
    [length, p] = leb(wasm, p);
    const module = wasm.toString('utf8', p, p + length);
    p += length;
    [length, p] = leb(wasm, p);
    const field = wasm.toString('utf8', p, p + length);
    p += length;
    const kind = wasm[p];
    const next = descEnd(wasm, kind, p + 1);
    modules.add(module);
    if (renames.has(field)) fail(`import ${field} appears twice`);
    renames.set(field, shortName(renames.size));
    entries.push(encodeName('a'), encodeName(renames.get(field)), wasm.subarray(p, next));
    p = next;
  }
  if (p !== end) fail('import section not read to its end');
  const payload = Buffer.concat(entries);
  parts.push(Buffer.from([2]), encodeLeb(payload.length), payload);
  at = end;
}
// The glue hands one object for one module; two modules would need two keys.
if (modules.size !== 1) fail(`expected one import module, got ${[...modules].join(', ')}`);
const [module] = modules;

// --- The glue: the module key and the import object's keys. ---
const replaceOnce = (re, by, what) => {
  const found = js.match(re) || [];
  if (found.length !== 1) fail(`${what} found ${found.length} times in the glue, expected once`);
  js = js.replace(re, by);
};
replaceOnce(new RegExp(`${escape(JSON.stringify(module))}: import0`, 'g'), () => '"a": import0', `module ${module}`);
for (const [from, to] of renames) {
  replaceOnce(new RegExp(`^(\\s+)${escape(from)}:`, 'gm'), (_, indent) => `${indent}${JSON.stringify(to)}:`, `import ${from}`);
}

for (const [from, to] of exportRenames) {
  js = js.replace(exportUse(from), `wasm.${to}`);
}
if (/\bwasm\[/.test(js)) fail('the glue indexes the exports by a computed name');
// The declarations: `readonly <name>:` (InitOutput) and `export const <name>:` (the .wasm's).
const declarations = declarationPaths.map((path) => {
  let text = readFileSync(path, 'utf8');
  for (const [from, to] of exportRenames) {
    const re = new RegExp(`^(\\s*(?:readonly|export const) )${escape(from)}:`, 'm');
    if (!re.test(text)) fail(`export ${from} not declared in ${path}`);
    text = text.replace(re, (_, head) => `${head}${to}:`);
  }
  return [path, text];
});

writeFileSync(wasmPath, Buffer.concat(parts));
writeFileSync(gluePath, js);
for (const [path, text] of declarations) writeFileSync(path, text);
console.log(`minify-names: ${renames.size} imports, ${exportRenames.size} exports renamed`);
