# The two commands of the README: `make demo` and `make test`. Everything else is a step of those.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
export CARGO_TERM_COLOR := never
export PATH := $(HOME)/.cargo/bin:$(CURDIR)/.venv/bin:$(PATH)
# One triple for cargo, napi and maturin so they share artifacts (see .cargo/config.toml).
export CARGO_BUILD_TARGET := x86_64-unknown-linux-gnu
TARGET_DIR := $(CURDIR)/target/$(CARGO_BUILD_TARGET)
export NANGO_EMULATOR_BIN := $(TARGET_DIR)/debug/nango-emulator
PY := $(CURDIR)/.venv/bin/python
# maturin needs to know which venv to install into.
export VIRTUAL_ENV := $(CURDIR)/.venv

.PHONY: all setup build demo test lint emulator-bin \
        test-rust test-compat node-build test-node python-build test-python wasm-build test-browser test-examples \
        test-scenarios bench bench-node bench-python size-browser fuzz clean

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
test: setup lint test-rust test-compat test-node test-python test-browser test-examples test-scenarios fuzz
	@echo "make test: all suites passed"

lint:
	cargo fmt --all --check
	cargo clippy --workspace --all-targets -- -D warnings
	cargo clippy -q -p nango --no-default-features --all-targets -- -D warnings
	cargo check -q -p nango --target wasm32-unknown-unknown
	cargo check -q -p nango --target wasm32-unknown-unknown --no-default-features
	cargo clippy -q -p nango-wasm --target wasm32-unknown-unknown -- -D warnings
	cargo clippy -q -p nango-node --features bench -- -D warnings
	RUSTDOCFLAGS="-D warnings" cargo doc -q --no-deps -p nango -p nango-emulator
	RUSTDOCFLAGS="-D warnings" cargo doc -q --no-deps -p nango --no-default-features

emulator-bin:
	cargo build -q -p nango-emulator --bin nango-emulator

## Rust: core (vectors, loopback, faults, properties), emulator (incl. the 50 x 100,000 load test),
## examples (the demo flow and the native auth host).
test-rust:
	cargo test
	# The platform-free part the browser package builds on (no HTTP client).
	cargo test -q -p nango --no-default-features

# The OFFICIAL @nangohq/node and @nangohq/frontend against the emulator.
test-compat: emulator-bin
	cd emulator/compat && npm test

node-build:
	cd bindings-node && npm run -s build

test-node: emulator-bin node-build
	cd bindings-node && npm run -s typecheck && npm test

python-build:
	$(PY) -m maturin develop -q -m bindings-python/Cargo.toml

test-python: emulator-bin python-build
	$(PY) -m mypy.stubtest nango
	$(PY) -m mypy --strict bindings-python/examples bindings-python/python/nango
	$(PY) -m pytest -q bindings-python/tests

wasm-build:
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

# One table: scenario x language (tests/scenarios/README.md). Reuses the builds above.
test-scenarios: emulator-bin node-build python-build wasm-build
	cargo build -q -p nango-scenarios
	python3 tests/scenarios/run.py --no-build

## A bounded cargo-fuzz run of every target: 4 x 22 s with a fixed seed (FUZZ_SEED), after a cold ASan build of
## ~3 min; installs cargo-fuzz when missing. Stable toolchain via RUSTC_BOOTSTRAP (see fuzz/README.md).
fuzz:
	fuzz/run.sh

bench: bench-node bench-python size-browser
	cargo bench -p nango

# The release addon with the bench-only exports (cargo feature `bench`, off in the package);
# `--no-js` keeps the committed index.js/index.d.ts as the package has them.
bench-node:
	cd bindings-node && npm run -s build:bench && npm run -s bench

bench-python:
	$(PY) -m maturin develop -q --release -m bindings-python/Cargo.toml
	$(PY) bindings-python/bench/bench.py

size-browser: wasm-build
	cd bindings-wasm && npm run -s size

clean:
	cargo clean
