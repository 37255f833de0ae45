#!/usr/bin/env bash
# Trunk post-build hook (see Trunk.toml). Runs in the project root with TRUNK_STAGING_DIR set.
# 1. build.rs (stylers) wrote the components' scoped CSS to target/stylers.css. Trunk resolves its own
#    assets before cargo runs, so it cannot pick that file up itself: ship it here under a content hash
#    and point index.html at it.
# 2. Pre-compress every file: the server sends `x.br` / `x.gz` as is, no compression at request time.
set -euo pipefail
staging="${TRUNK_STAGING_DIR:?run by trunk}"

css="target/stylers.css"
[ -f "$css" ] || : > "$css"
hash="$(sha256sum "$css" | cut -c1-16)"
cp "$css" "$staging/stylers-$hash.css"
sed -i "s|href=\"/stylers.css\"|href=\"/stylers-$hash.css\"|" "$staging/index.html"

if [ "${TRUNK_PROFILE:-}" = "release" ]; then
  find "$staging" -type f ! -name '*.br' ! -name '*.gz' ! -name '*.png' | while read -r f; do
    brotli -f -q 11 -o "$f.br" "$f"
    gzip -f -k -9 "$f"
  done
fi
