#!/usr/bin/env bash
# Benchmark: how long Parta takes to draw a chat of 10,000 messages (tests/e2e/bench/render.bench.ts),
# on a phone and a desktop viewport, against the release build and the real server. Not a test: it
# prints figures (see README «Benchmarks»). Usage: scripts/bench-render.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source scripts/env.sh
trunk build --release
cargo build -p parta-server
cd tests/e2e
npx playwright test --config playwright.bench.config.ts
