# The two commands of the README: `make demo` and `make test`. Everything else is a step of those.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
export CARGO_TERM_COLOR := never
export PATH := $(HOME)/.cargo/bin:$(CURDIR)/node_modules/.bin:$(PATH)
# One triple for cargo, napi and maturin so they share artifacts (see .cargo/config.toml).
export CARGO_BUILD_TARGET := x86_64-unknown-linux-gnu
TARGET_DIR := $(CURDIR)/target/$(CARGO_BUILD_TARGET)
export NANGO_EMULATOR_BIN := $(TARGET_DIR)/debug/nango-emulator

.PHONY: all setup build demo test lint test-rust test-compat bench clean

all: build

setup:
	bash scripts/setup.sh

build:
	cargo build --workspace --all-targets

## demo: the whole flow (connect, webhook, records, action) against the embedded emulator.
## It needs only cargo, so it does not run setup.
demo:
	cargo run -q -p nango-examples --bin demo

## test: every test of every language, from a fresh clone.
test: setup lint test-rust test-compat
	@echo "make test: all suites passed"

lint:
	cargo fmt --all --check
	cargo clippy --workspace --all-targets -- -D warnings
	cargo check -p nango --target wasm32-unknown-unknown
	cargo check -p nango --target wasm32-unknown-unknown --no-default-features
	RUSTDOCFLAGS="-D warnings" cargo doc --no-deps -p nango -p nango-emulator

test-rust:
	cargo test --workspace

# The OFFICIAL @nangohq/node and @nangohq/frontend against the emulator.
test-compat:
	cargo build -p nango-emulator --bin nango-emulator
	cd emulator/compat && node --test

bench:
	cargo bench -p nango

clean:
	cargo clean
