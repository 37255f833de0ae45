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

# 3. /staff.html: index.html with the staff bundle (staff.js, started by staff-boot.js) in place of the
#    app's own start script and the preloads of its files (src/pages/staff.rs says why).
if [ -f "$staging/staff.js" ]; then
  python3 - "$staging" <<'PY'
import re, sys
staging = sys.argv[1]
html = open(f"{staging}/index.html", encoding="utf-8").read()
html = re.sub(r"<script type=\"module\">.*?</script>", "", html, flags=re.S)
html = re.sub(r"<link[^>]*rel=\"(?:modulepreload|preload)\"[^>]*>", "", html)
html = html.replace("</head>", '<script type="module" src="/staff-boot.js"></script></head>', 1)
open(f"{staging}/staff.html", "w", encoding="utf-8").write(html)
PY
fi

if [ "${TRUNK_PROFILE:-}" = "release" ]; then
  find "$staging" -type f ! -name '*.br' ! -name '*.gz' ! -name '*.png' | while read -r f; do
    brotli -f -q 11 -o "$f.br" "$f"
    gzip -f -k -9 "$f"
  done
fi
