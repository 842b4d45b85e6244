# Gaoliang town points platform: the two commands are `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := run

CARGO_LEPTOS_VERSION := 0.3.10
WASM_OPT_VERSION := 0.116.1
# wasm-bindgen-cli must equal the wasm-bindgen in Cargo.lock exactly.
WASM_BINDGEN_VERSION := $(shell sed -n '/^name = "wasm-bindgen"$$/{n;s/version = "\(.*\)"/\1/p}' Cargo.lock)

export PATH := $(HOME)/.cargo/bin:$(PATH)

# Where the app listens and keeps its database (override on the command line
# or in the environment; DATABASE_URL, if set, wins over GAOLIANG_DB).
LEPTOS_SITE_ADDR ?= 127.0.0.1:3000
GAOLIANG_DB ?= data/gaoliang.db
export LEPTOS_SITE_ADDR GAOLIANG_DB

# What cargo-leptos passes to the server; set here so the release binary can
# be started directly.
LEPTOS_ENV_VARS := LEPTOS_OUTPUT_NAME=gaoliang LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg LEPTOS_RELOAD_PORT=3001 LEPTOS_ENV=PROD

# cargo-leptos builds the debug server with this flag; tests use the same so
# the dependencies are compiled once.
TEST_RUSTFLAGS := --cfg erase_components

E2E_ADDR := 127.0.0.1:3100
RELEASE_E2E_ADDR := 127.0.0.1:3110

.PHONY: run dev test unit-test e2e release-e2e bench setup setup-release setup-e2e build-release fmt lint

## Tools, installed once into ~/.cargo/bin and skipped when present at the right version.
setup:
	@rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
	@cargo leptos --version 2>/dev/null | grep -q " $(CARGO_LEPTOS_VERSION)" || cargo install cargo-leptos --locked --version $(CARGO_LEPTOS_VERSION)
	@wasm-bindgen --version 2>/dev/null | grep -q " $(WASM_BINDGEN_VERSION)" || cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION)

setup-release: setup
	@wasm-opt --version 2>/dev/null | grep -q "version 116" || cargo install wasm-opt --locked --version $(WASM_OPT_VERSION)

setup-e2e:
	@command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium)
	@fc-list 2>/dev/null | grep -qi "wqy\|noto sans cjk" || apt-get install -y -qq fonts-wqy-microhei || true
	@cd end2end && ((test -x node_modules/.bin/playwright && test -f node_modules/axe-core/axe.min.js) || PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)

# --split: each section of the site (app/src/app/lazy.rs) becomes its own wasm
# chunk, loaded when one of its routes opens, so the public portal never
# downloads the office, counter or town screens.
build-release: setup-release
	cargo leptos build --release --precompress --split

## Build for release and serve http://$(LEPTOS_SITE_ADDR) (the demo town is loaded into an empty database).
run: build-release
	$(LEPTOS_ENV_VARS) ./target/release/server serve

## Debug build that rebuilds on change.
dev: setup
	cargo leptos watch

## Every test: unit and service tests, then the browser tests against a fresh
## database on the release build `make run` serves. The wasm is built once:
## the release build is what users get, and only it splits the wasm into the
## per-section chunks every page must load (`make e2e` runs the same browser
## tests on the debug build, for working on a page).
test: setup setup-e2e unit-test release-e2e

unit-test:
	RUSTFLAGS="$(TEST_RUSTFLAGS)" cargo test --workspace --exclude frontend

e2e: setup setup-e2e
	cargo leptos build
	E2E_ADDR=$(E2E_ADDR) ./end2end/run.sh

## The browser tests on the release build: only it splits the wasm into
## per-section chunks (app/src/app/lazy.rs), so only it shows that every page's
## chunk loads and hydrates. It leaves target/site as `make run` serves it.
release-e2e: build-release setup-e2e
	E2E_BIN=./target/release/server E2E_ADDR=$(RELEASE_E2E_ADDR) ./end2end/run.sh

## Benchmarks on a generated town of 10,000 households and ~1,000,000 entries; writes docs/benchmarks.md.
bench: build-release setup-e2e
	./bench/run.sh

fmt:
	cargo fmt --all

lint:
	cargo clippy --workspace --exclude frontend --all-targets -- -D warnings
