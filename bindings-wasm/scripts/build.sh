#!/usr/bin/env bash
# Builds the shipped artifacts into bindings-wasm/pkg/: the wasm core (profile wasm-release:
# opt-level z, LTO, panic=abort), its wasm-bindgen ES-module glue and .d.ts, then wasm-opt -Oz.
# Tests and the size benchmark run against exactly these files.
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$HOME/.cargo/bin:$PATH"
command -v wasm-bindgen >/dev/null || { echo "wasm-bindgen not found: run 'make setup' first" >&2; exit 1; }
# Never --workspace with a wasm target (docs/toolchain.md §14): only this package.
cargo build -q -p nango-wasm --target wasm32-unknown-unknown --profile wasm-release
# Where cargo put it: CARGO_TARGET_DIR or build.target-dir when set, else ./target.
target_dir=$(cargo metadata -q --no-deps --format-version 1 |
  node -e 'process.stdout.write(JSON.parse(require("fs").readFileSync(0, "utf8")).target_directory)')
wasm="$target_dir/wasm32-unknown-unknown/wasm-release/nango_wasm.wasm"
out=bindings-wasm/pkg
mkdir -p "$out"
wasm-bindgen --target web --out-dir "$out" "$wasm"
# npm binaryen 132, not Debian's wasm-opt 108: with wasm-bindgen 0.2.130's externref table, 108's
# output fails to instantiate ("WebAssembly.Table.set(): Argument 1 is invalid for table").
# -Oz drops the name section; the producers section and DWARF go too (the browser needs none).
wasm_opt=bindings-wasm/node_modules/.bin/wasm-opt
[ -x "$wasm_opt" ] || (cd bindings-wasm && npm ci --no-audit --no-fund --loglevel=error)
"$wasm_opt" -Oz --converge --strip-debug --strip-producers \
  "$out/nango_wasm_bg.wasm" -o "$out/nango_wasm_bg.wasm"
# Short import and export names in the .wasm, the glue and its declarations (the hashed ones were
# ~2.4 KB gz); fails the build if the glue does not match the .wasm exactly.
node bindings-wasm/scripts/minify-names.mjs "$out/nango_wasm_bg.wasm" "$out/nango_wasm.js" \
  "$out/nango_wasm.d.ts" "$out/nango_wasm_bg.wasm.d.ts"
echo "built $out from $wasm: $(wc -c <"$out/nango_wasm_bg.wasm") bytes of wasm"
