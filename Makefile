# kubelet-playground: `make serve` and `make test` are the two commands of the README.

SHELL := bash
.SHELLFLAGS := -euo pipefail -c
# Tools from cargo install and npm (wasm-opt from binaryen) must come before anything else.
export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
export CHROMEDRIVER := /usr/bin/chromedriver
export TRUNK_SKIP_VERSION_CHECK := true
export CARGO_TERM_COLOR ?= auto

.PHONY: serve test bench build dist setup-serve setup-test lint vendor vendor-check test-native test-wasm test-e2e clean

## serve: install what is missing, then serve the playground on http://127.0.0.1:8080
serve: setup-serve
	trunk serve --release

## test: install what is missing, then run every check and test
test: setup-test lint test-native test-wasm test-e2e
	@echo "make test: all checks passed"

## bench: bundle size, browser timings and simulation speed (native and wasm) against their
## budgets; writes target/bench.json, prints a table, fails when a budget is broken
bench: setup-test build
	@scripts/bench dist

build:
	trunk build --release

## dist: install what is missing, then build the static site into dist/ (relative URLs, works
## from any static host and sub-path, offline after the first visit; see README's Deploying)
dist: setup-serve build

setup-serve:
	@scripts/setup serve

setup-test:
	@scripts/setup test

lint: vendor-check
	cargo fmt --all -- --check
	cargo clippy --all-targets -- -D warnings
	cargo clippy --target wasm32-unknown-unknown --all-targets -- -D warnings

## vendor: rebuild vendor/codemirror.js from vendor-src/ and the pinned npm packages
vendor:
	scripts/build-vendor

## vendor-check: fail if the committed vendor/codemirror.js is not what a fresh build gives
vendor-check:
	scripts/build-vendor --check

test-native:
	cargo test
	cargo run --quiet --bin kubelet-playground -- lesson test

test-wasm:
	@# Without debug info the test module is 27 MB instead of 230 MB, which the headless browser
	@# loads in seconds; the longer timeout covers a slow, cold machine.
	CARGO_PROFILE_DEV_DEBUG=0 WASM_BINDGEN_TEST_TIMEOUT=120 cargo test --target wasm32-unknown-unknown --test web

test-e2e: build
	@# The runner compiles the teacher's lesson that one end-to-end test serves.
	cargo build --quiet --bin kubelet-playground
	node e2e/editor.mjs
	node e2e/app.mjs dist

clean:
	cargo clean
	rm -rf dist
