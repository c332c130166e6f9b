// Size benchmark (not a test): what a browser app downloads for @nango-rs/frontend, measured
// like the official @nangohq/frontend — esbuild --bundle --minify of the entry, gzip -9 — after
// the release build (scripts/build.sh: opt-level z, LTO, panic=abort, wasm-opt -Oz).
//   up front: the entry chunk an app loads before its first auth() call;
//   total:    up front + the lazily imported wasm-bindgen glue chunk + the .wasm.
import { build } from 'esbuild';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = fileURLToPath(new URL('..', import.meta.url));
const gz = (bytes) => gzipSync(bytes, { level: 9 }).length;

async function bundle(entrySource, outdir) {
  const entry = join(outdir, 'entry.mjs');
  writeFileSync(entry, entrySource);
  // Splitting keeps the dynamic import() of the wasm glue in its own chunk, as Vite/esbuild apps get it.
  const result = await build({
    entryPoints: [entry], bundle: true, minify: true, format: 'esm', splitting: true,
    outdir: join(outdir, 'out'), write: false, absWorkingDir: root, logLevel: 'error', metafile: true,
  });
  const files = result.outputFiles.map((f) => ({ name: f.path.split('/').pop(), bytes: f.contents, entry: f.path.endsWith('entry.js') }));
  return files;
}

// Entries live under node_modules/ so that package imports resolve from there.
const work = join(root, 'node_modules/.size');
rmSync(work, { recursive: true, force: true });
mkdirSync(join(work, 'official'), { recursive: true });
const row = (name, raw, gzipped) => console.log(`${name.padEnd(44)} ${String(raw).padStart(8)} B ${String(gzipped).padStart(8)} B gz`);

// Ours: an app importing Nango and calling auth().
const ours = await bundle(`import { Nango } from ${JSON.stringify(join(root, 'index.js'))};\nwindow.n = (c) => new Nango(c).auth('k');\n`, work);
const wasm = readFileSync(join(root, 'pkg/nango_wasm_bg.wasm'));
const upFront = ours.filter((f) => f.entry);
const lazy = ours.filter((f) => !f.entry);
console.log('@nango-rs/frontend (this package)');
for (const f of upFront) row('  up front: entry chunk (loader)', f.bytes.length, gz(f.bytes));
for (const f of lazy) row(`  lazy: glue chunk ${f.name}`, f.bytes.length, gz(f.bytes));
row('  lazy: nango_wasm_bg.wasm', wasm.length, gz(wasm));
const sum = (files) => files.reduce((n, f) => n + f.bytes.length, 0);
const sumGz = (files) => files.reduce((n, f) => n + gz(f.bytes), 0);
row('  UP FRONT (before the first auth())', sum(upFront), sumGz(upFront));
row('  TOTAL (up front + glue + wasm)', sum(ours) + wasm.length, sumGz(ours) + gz(wasm));

// The official package, bundled the same way.
const official = await bundle(`import Nango from '@nangohq/frontend';\nwindow.n = (c) => new Nango(c).auth('k');\n`, join(work, 'official'));
console.log('@nangohq/frontend@0.71.10 (official)');
row('  TOTAL (one bundle)', sum(official), sumGz(official));
const targets = { upFront: 5 * 1024, total: 40 * 1024 };
console.log(`targets: up front <= ${targets.upFront} B gz: ${sumGz(upFront) <= targets.upFront ? 'met' : 'MISSED'}; ` +
  `total <= ${targets.total} B gz: ${sumGz(ours) + gz(wasm) <= targets.total ? 'met' : 'MISSED'}`);
