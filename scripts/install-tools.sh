#!/usr/bin/env bash
# Installs everything Parta needs to build, run and test, on a machine that reaches only the package
# registries (see ../shared/TOOLCHAIN.md). Idempotent: a second run only checks and takes seconds.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/scripts/env.sh"
tools="$PARTA_TOOLS"
mkdir -p "$tools/bin"

TRUNK_VERSION=0.21.14
BINARYEN_VERSION=132
# wasm-split-cli (the wasm_split_cli_support crate) splits the app's wasm into chunks after each build.
WASM_SPLIT_VERSION=0.2.4
# wasm-bindgen-cli must match the wasm-bindgen crate in Cargo.lock exactly.
WASM_BINDGEN_VERSION="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3; exit }' "$root/Cargo.lock")"

say() { printf '\033[1m[tools]\033[0m %s\n' "$*"; }

# System packages: the browser and its driver for tests, brotli for the size budget, fonts with Cyrillic.
need_apt=()
command -v chromium >/dev/null || need_apt+=(chromium)
command -v chromedriver >/dev/null || need_apt+=(chromium-driver)
command -v brotli >/dev/null || need_apt+=(brotli)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need_apt+=(fonts-dejavu-core)
# Phones and school computers have an emoji font; without one, screenshots show empty boxes.
[ -e /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf ] || need_apt+=(fonts-noto-color-emoji)
# The contract fuzzer: a Python venv (Debian keeps `ensurepip` in python3-venv), and curl to sign in.
command -v python3 >/dev/null || need_apt+=(python3)
python3 -c 'import ensurepip' 2>/dev/null || need_apt+=(python3-venv)
command -v curl >/dev/null || need_apt+=(curl)
if [ ${#need_apt[@]} -gt 0 ]; then
  say "apt-get install ${need_apt[*]}"
  sudo_cmd=""; [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

# The test command checks formatting and lints first.
for component in rustfmt clippy; do
  if ! rustup component list --installed | grep -q "^$component"; then
    say "rustup component add $component"
    rustup component add "$component"
  fi
done

if ! trunk --version 2>/dev/null | grep -q "$TRUNK_VERSION"; then
  say "cargo install trunk $TRUNK_VERSION (a few minutes, once)"
  cargo install --locked --quiet trunk --version "$TRUNK_VERSION" --root "$tools"
fi

if ! wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then
  say "cargo install wasm-bindgen-cli $WASM_BINDGEN_VERSION (a couple of minutes, once)"
  # Not --locked: its lockfile pins a crate version the registry mirror lacks.
  cargo install --quiet --force wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --root "$tools"
fi

# The post-build hook (scripts/trunk-post-build.sh) splits the app's wasm with it, as cargo-leptos's
# `--split` does. It has no --version: ask cargo what it installed.
if ! cargo install --list --root "$tools" | grep -qx "wasm_split_cli_support v$WASM_SPLIT_VERSION:"; then
  say "cargo install wasm-split-cli $WASM_SPLIT_VERSION (a minute, once)"
  cargo install --locked --quiet --force wasm_split_cli_support --version "$WASM_SPLIT_VERSION" \
    --features build-binary --root "$tools"
fi

# Debian's binaryen (108) produces a wasm that fails to start; the npm package carries version 132.
if ! wasm-opt --version 2>/dev/null | grep -q "version $BINARYEN_VERSION"; then
  say "npm binaryen@$BINARYEN_VERSION"
  npm install --silent --no-audit --no-fund --prefix "$tools/binaryen" "binaryen@$BINARYEN_VERSION" >/dev/null
  ln -sf "$tools/binaryen/node_modules/binaryen/bin/wasm-opt" "$tools/bin/wasm-opt"
fi

# schemathesis for scripts/fuzz-contract.sh, with every package it needs pinned, in a venv of its own;
# again whenever the pins are newer than what is installed.
fuzzer="$tools/schemathesis"
if [ ! -x "$fuzzer/bin/st" ] || [ "$root/scripts/fuzz-requirements.txt" -nt "$fuzzer/installed" ]; then
  say "pip install schemathesis into $fuzzer (a minute, once)"
  python3 -m venv "$fuzzer"
  "$fuzzer/bin/pip" install --quiet --disable-pip-version-check -r "$root/scripts/fuzz-requirements.txt"
  touch "$fuzzer/installed"
fi

# npm ci again whenever the lockfile is newer than what is installed.
installed="$root/tests/e2e/node_modules/.package-lock.json"
if [ ! -f "$installed" ] || [ "$root/tests/e2e/package-lock.json" -nt "$installed" ]; then
  say "npm ci in tests/e2e (Playwright, axe-core)"
  (cd "$root/tests/e2e" && npm ci --silent --no-audit --no-fund >/dev/null)
fi

say "ready: $(trunk --version), $(wasm-bindgen --version), wasm-split-cli $WASM_SPLIT_VERSION, $(wasm-opt --version | cut -d' ' -f1-3), $("$fuzzer/bin/st" --version)"
