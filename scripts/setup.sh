#!/usr/bin/env bash
# Installs everything `make test` and `make demo` need on a fresh machine, from the registries only
# (Debian apt, crates.io, npm, PyPI). Idempotent: each step is skipped when already satisfied.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

# One part only, for the Makefile's build targets run before `make setup`:
#   scripts/setup.sh npm DIR   (npm ci in DIR)      scripts/setup.sh python   (.venv + requirements-dev.txt)
part=${1:-all}

if [ "$part" = all ]; then
  need_apt=()
  command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
  command -v chromedriver >/dev/null 2>&1 || need_apt+=(chromium-driver)
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

  # wasm-bindgen-cli must match the wasm-bindgen crate exactly. `--locked` fails here
  # (docs/toolchain.md §2), so it is left out; the install takes ~4-5 min on 2 cores, once per machine.
  wb=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/[^0-9.]/,""); print; exit}' Cargo.lock)
  if [ -n "$wb" ] && [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$wb" ]; then
    step "cargo install wasm-bindgen-cli --version $wb"
    cargo install wasm-bindgen-cli --version "$wb"
  fi
fi

# A step re-runs only when its lock file changed since it last ran (stamp = the file's hash).
fresh() { [ -f "$2" ] && [ "$(cat "$2")" = "$(sha256sum "$1" | cut -d' ' -f1)" ]; }
stamp() { sha256sum "$1" | cut -d' ' -f1 > "$2"; }

# npm packages, one lock file per folder that has one.
locks=$(git ls-files '*package-lock.json' | grep -v node_modules)
case $part in
  all) ;;
  npm) locks="${2:?usage: setup.sh npm DIR}/package-lock.json" ;;
  *) locks="" ;;
esac
for lock in $locks; do
  dir=$(dirname "$lock")
  fresh "$lock" "$dir/node_modules/.nango-setup-stamp" && continue
  step "npm ci in $dir"
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  stamp "$lock" "$dir/node_modules/.nango-setup-stamp"
done

if [ -f requirements-dev.txt ] && { [ "$part" = all ] || [ "$part" = python ]; }; then
  if [ ! -x .venv/bin/python ]; then
    step "python venv"
    python3 -m venv .venv
  fi
  if ! fresh requirements-dev.txt .venv/.nango-setup-stamp; then
    step "pip install -r requirements-dev.txt"
    .venv/bin/pip install -q --disable-pip-version-check -r requirements-dev.txt
    stamp requirements-dev.txt .venv/.nango-setup-stamp
  fi
fi
