#!/usr/bin/env bash
# Benchmark: Lighthouse (pinned in scripts/lighthouse/package-lock.json) on the release build of the
# first screens a parent meets, `/signin` and an invite's `/join/<key>`, against the real server in a
# fresh data directory, in Debian's Chromium: the mobile preset, the median of 3 runs, printed as a
# table (see README «Benchmarks»). Not a test; the goals are in README «First-load budget».
# Usage: scripts/bench-lighthouse.sh   (CHROMIUM_PATH, default /usr/bin/chromium)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source scripts/env.sh
chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"

installed=scripts/lighthouse/node_modules/.package-lock.json
if [ ! -f "$installed" ] || [ scripts/lighthouse/package-lock.json -nt "$installed" ]; then
  (cd scripts/lighthouse && npm ci --silent --no-audit --no-fund >/dev/null)
fi
trunk build --release
cargo build --locked -p parta-server

data="$(mktemp -d)"
log="$data/server.log"
target/debug/parta-server serve --addr 127.0.0.1:0 --data-dir "$data" --dist dist --dev-outbox >"$log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -rf "$data"' EXIT
url=""
for _ in $(seq 1 300); do
  url="$(grep -oE 'Parta is running at http://[^ ]+' "$log" | head -1 | cut -d' ' -f5)" || true
  [ -n "$url" ] && break
  kill -0 "$server" 2>/dev/null || { cat "$log" >&2; exit 1; }
  sleep 0.1
done
[ -n "$url" ] || { echo "bench-lighthouse: the server did not start" >&2; cat "$log" >&2; exit 1; }

node scripts/lighthouse/bench.mjs "$url" "$chromium" target/debug/parta-server "$data"
