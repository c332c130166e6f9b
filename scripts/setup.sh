#!/usr/bin/env bash
# Installs everything `make test` and `make demo` need on a fresh machine, from the registries only
# (Debian apt, crates.io, npm, PyPI). Idempotent: each step is skipped when already satisfied.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need_apt+=(chromium-driver)
command -v wasm-opt >/dev/null 2>&1 || need_apt+=(binaryen)
if [ ${#need_apt[@]} -gt 0 ]; then
  step "apt-get install ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  step "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

# npm packages, one lock file per folder that has one.
for dir in . emulator/compat bindings-node bindings-wasm examples/node examples/browser; do
  if [ -f "$dir/package-lock.json" ]; then
    step "npm ci in $dir"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
done

if [ -f requirements-dev.txt ]; then
  if [ ! -x .venv/bin/python ]; then
    step "python venv"
    python3 -m venv .venv
  fi
  step "pip install -r requirements-dev.txt"
  .venv/bin/pip install -q --disable-pip-version-check -r requirements-dev.txt
fi
