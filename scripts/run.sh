#!/usr/bin/env bash
# Runs Parta on this machine: installs what is missing, builds the app in release mode and starts the
# reference server, which serves the app and the API from one origin with an embedded SQLite database
# under ./data (created and migrated on first start) and a demo school to sign in to.
# Extra arguments go to `parta-server serve` (e.g. --addr 0.0.0.0:8080).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source scripts/env.sh

scripts/install-tools.sh
cargo fetch --locked --quiet
echo "[run] building the app (release)…"
trunk build --release
echo "[run] building the server (release)…"
cargo build --locked --release -p parta-server
exec target/release/parta-server serve --dist dist --data-dir "${PARTA_DATA_DIR:-data}" --demo "$@"
