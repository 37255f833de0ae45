#!/usr/bin/env bash
# Runs every test of Parta: formatting and lints first (rustfmt, clippy for the host and for the app's
# wasm target), then the contract and server (cargo), the app's logic (cargo), the contract fuzzer
# against the real server (schemathesis), the app's components in headless Chromium
# (wasm-bindgen-test), the first-load size budget, and the end-to-end flows in Playwright against the
# real server and the release build, on a phone and a desktop.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source scripts/env.sh
# A full run is not an edit loop: incremental caches would only take disk (and CI's is small).
export CARGO_INCREMENTAL=0

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

scripts/install-tools.sh
cargo fetch --locked --quiet

step "code health: rustfmt and clippy (host and the app's wasm target)"
cargo fmt --all -- --check
cargo clippy --locked --workspace --all-targets --quiet -- -D warnings
cargo clippy --locked -p parta --target wasm32-unknown-unknown --all-targets --quiet -- -D warnings

step "cargo tests: contract, server, app logic"
cargo test --locked --workspace

step "contract fuzzing: schemathesis against the real server (about 4 minutes)"
scripts/fuzz-contract.sh

step "browser unit tests (headless Chromium)"
cargo test --locked --target wasm32-unknown-unknown -p parta --test web

step "release build of the app"
trunk build --release

step "first-load size budget"
# The budget is the script's default; README "First-load budget" says what it is made of.
scripts/size-budget.sh

step "end-to-end tests (Playwright, phone and desktop)"
cargo build --locked -p parta-server
(cd tests/e2e && npx playwright test)
