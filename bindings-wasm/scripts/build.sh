#!/usr/bin/env bash
# Builds the shipped artifacts into bindings-wasm/pkg/: the wasm core (profile wasm-release:
# opt-level z, LTO, panic=abort), its wasm-bindgen ES-module glue and .d.ts, then wasm-opt -Oz.
# Tests and the size benchmark run against exactly these files.
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$HOME/.cargo/bin:$PATH"
# Never --workspace with a wasm target (shared/toolchain.md): only this package.
cargo build -q -p nango-wasm --target wasm32-unknown-unknown --profile wasm-release
out=bindings-wasm/pkg
mkdir -p "$out"
wasm-bindgen --target web --out-dir "$out" \
  target/wasm32-unknown-unknown/wasm-release/nango_wasm.wasm
# -Oz also drops the name and producers sections (wasm-bindgen needs them, the browser does not).
wasm-opt -Oz --strip-debug --strip-producers "$out/nango_wasm_bg.wasm" -o "$out/nango_wasm_bg.wasm"
echo "built $out: $(wc -c <"$out/nango_wasm_bg.wasm") bytes of wasm"
