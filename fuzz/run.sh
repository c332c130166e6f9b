#!/usr/bin/env bash
# Bounded fuzzing run for CI: builds the four targets once (ASan, via RUSTC_BOOTSTRAP on stable),
# then fuzzes each for $FUZZ_SECONDS (default 22 s; 4 targets ≈ 90 s plus a warm build check, inside the 2-minute budget).
# New inputs go to target/corpus-work/<target>; the committed seeds in corpus/<target> are read only.
set -euo pipefail
cd "$(dirname "$0")"
export RUSTC_BOOTSTRAP=1
seconds="${FUZZ_SECONDS:-22}"
command -v cargo-fuzz >/dev/null 2>&1 || cargo install cargo-fuzz --version 0.13.2
cargo fuzz build
for target in webhook_verify records_page popup_message url_query; do
  mkdir -p "target/corpus-work/$target"
  echo "==> fuzz $target for ${seconds}s"
  cargo fuzz run "$target" "target/corpus-work/$target" "corpus/$target" -- \
    -max_total_time="$seconds" -seed="${FUZZ_SEED:-20261128}" -print_final_stats=1 2>&1 | grep -E '^(#[0-9]+ +DONE|stat::number_of_executed_units|==[0-9]+== ERROR|SUMMARY|thread .* panicked)' || true
  # cargo fuzz exits non-zero on a crash; re-check so the script fails loudly.
  if [ -d "artifacts/$target" ] && [ -n "$(ls -A "artifacts/$target" 2>/dev/null)" ]; then
    echo "crash in $target: see fuzz/artifacts/$target/" >&2
    exit 1
  fi
done
