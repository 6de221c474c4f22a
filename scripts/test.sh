#!/usr/bin/env bash
# Sets up everything missing, then runs every check and test:
# format, lints (native and wasm), native tests, in-browser wasm tests, and
# end-to-end tests of the release build in headless Chromium.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
bash scripts/setup.sh
export PATH="$HOME/.cargo/bin:$ROOT/tools/node_modules/.bin:$PATH"
export CHROMEDRIVER=${CHROMEDRIVER:-/usr/bin/chromedriver}
export WASM_BINDGEN_TEST_TIMEOUT=${WASM_BINDGEN_TEST_TIMEOUT:-120}

step() { printf '\n=== %s\n' "$*"; }

step "cargo fmt --check"
cargo fmt --all -- --check

step "imports run one way (scripts/imports.mjs)"
node scripts/imports.mjs

step "clippy (native, all targets)"
cargo clippy --all-targets -- -D warnings
step "clippy (wasm32: app, browser layer, wasm tests)"
cargo clippy --target wasm32-unknown-unknown --lib --bins --tests -- -D warnings

step "native tests"
cargo test

step "in-browser tests (wasm-bindgen-test, headless Chromium)"
cargo test --target wasm32-unknown-unknown --test wasm_decode --test wasm_spawner

step "release build and deployable Space folder (scripts/deploy.sh)"
bash scripts/deploy.sh

step "end-to-end tests (node:test + playwright-core, headless Chromium)"
node --test --test-concurrency=1 tests/e2e/
