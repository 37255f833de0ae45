#!/usr/bin/env bash
# The size budget of the built app, every figure compressed here with `brotli -q 11` (the existing .br
# files are not trusted, they could be stale; 1 KB = 1024 B):
# - the entry: everything the browser fetches before `/signin` or `/join/<key>` is usable — index.html,
#   the .css, .js and .wasm files it names, and the modules those scripts import (the chunks' loader) —
#   must total at most PARTA_ENTRY_KB (default 225, see README "First-load budget": lowered from 424
#   by the split, on its way to the goal of 150);
# - every chunk: a wasm module the app fetches when a screen needs it (src/chunks.rs), and the QR
#   scanner's decoder worker, listed by name; none may exceed PARTA_CHUNK_KB (default 150);
# - the whole app, entry and chunks, is printed with its goal (PARTA_APP_KB, default 550), not enforced.
# Icons, the manifest, config.json and the service worker are not the app's code and are not counted.
#
# Usage: scripts/size-budget.sh            (dist/ of the repository)
#        PARTA_DIST=path/to/dist PARTA_ENTRY_KB=120 scripts/size-budget.sh
# Exit: 0 within budget, 1 over budget, 2 nothing to measure (no dist/, no brotli).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dist="${PARTA_DIST:-$root/dist}"
entry_kb="${PARTA_ENTRY_KB:-225}"
chunk_kb="${PARTA_CHUNK_KB:-150}"
app_kb="${PARTA_APP_KB:-550}"

for limit in "$entry_kb" "$chunk_kb" "$app_kb"; do
  if [[ ! "$limit" =~ ^[0-9]+([.][0-9]+)?$ ]]; then
    echo "size-budget: a budget must be a number of KB, not '$limit'" >&2
    exit 2
  fi
done
if [ ! -f "$dist/index.html" ]; then
  echo "size-budget: no built app at $dist (index.html missing); run 'trunk build --release' first" >&2
  exit 2
fi
if ! command -v brotli >/dev/null; then
  echo "size-budget: the 'brotli' command is missing (apt-get install brotli)" >&2
  exit 2
fi

mapfile -t candidates < <(
  # Hidden folders are not served as the app (Trunk's .stage while it builds).
  cd "$dist" && find . -path './.*' -prune -o -type f \( -name '*.js' -o -name '*.wasm' -o -name '*.css' \) -print |
    sed 's|^\./||' | LC_ALL=C sort
)

# What index.html names (href="/x", src="/x", and the start script's '/x.js' and '/x_bg.wasm'), then what
# those scripts import statically (`from "./x.js"`: the chunks' loader, wasm-bindgen's snippets),
# relative to the root of dist/. A chunk is fetched by `new URL("./x.wasm", …)`, never imported.
referenced() {
  grep -oE "(href|src)=\"/[^\"]+\"|['\"]/[^'\"]+\.(js|wasm|css)['\"]" "$1" | sed -E "s/^(href|src)=//; s/[\"']//g; s|^/||"
}
imported() {
  grep -oE "(from|import)[[:space:]]*\(?[[:space:]]*['\"]\./[^'\"]+['\"]" "$1" | grep -oE "\./[^'\"]+" | sed 's|^\./||'
}
declare -A in_entry=()
while read -r name; do in_entry["$name"]=1; done < <(referenced "$dist/index.html")
for name in "${!in_entry[@]}"; do
  if [[ "$name" == *.js && -f "$dist/$name" ]]; then
    while read -r module; do in_entry["$(dirname "$name")/$module"]=1; done < <(imported "$dist/$name")
  fi
done

entry=(index.html)
chunks=()
other=()
for file in "${candidates[@]}"; do
  if [[ -n "${in_entry[$file]:-}" || -n "${in_entry[./$file]:-}" ]]; then
    entry+=("$file")
  elif [[ "$file" == *.wasm || "$file" == qr_worker* ]]; then
    chunks+=("$file")
  else
    other+=("$file")
  fi
done

brotli_size() { brotli -q 11 -c "$dist/$1" | wc -c; }
kb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1024 }'; }
over() { awk -v b="$1" -v kb="$2" 'BEGIN { exit !(b > kb * 1024) }'; }

status=0
entry_br=0
printf '%-58s %10s %10s\n' "entry (before /signin or /join/<key> is usable)" "raw bytes" "brotli"
for file in "${entry[@]}"; do
  br=$(brotli_size "$file")
  entry_br=$((entry_br + br))
  printf '  %-56s %10d %10d\n' "$file" "$(wc -c < "$dist/$file")" "$br"
done
printf '  %-56s %10s %10d  (%s KB, budget %s KB)\n' "entry total (${#entry[@]} files)" "" "$entry_br" "$(kb "$entry_br")" "$entry_kb"
if over "$entry_br" "$entry_kb"; then
  echo "size-budget: OVER BUDGET: the entry is $(kb "$entry_br") KB brotli, the budget is $entry_kb KB" >&2
  status=1
fi

chunks_br=0
printf '\n%-58s %10s %10s\n' "chunks (fetched when a screen needs them)" "raw bytes" "brotli"
while read -r br file; do
  chunks_br=$((chunks_br + br))
  printf '  %-56s %10d %10d\n' "$file" "$(wc -c < "$dist/$file")" "$br"
  if over "$br" "$chunk_kb"; then
    echo "size-budget: OVER BUDGET: the chunk $file is $(kb "$br") KB brotli, at most $chunk_kb KB each" >&2
    status=1
  fi
done < <(for file in "${chunks[@]}"; do echo "$(brotli_size "$file") $file"; done | sort -rn)
printf '  %-56s %10s %10d  (%s KB)\n' "chunks total (${#chunks[@]} files)" "" "$chunks_br" "$(kb "$chunks_br")"

if [ "${#other[@]}" -gt 0 ]; then
  printf '\n%-58s %10s %10s\n' "not the app's code (not counted)" "raw bytes" "brotli"
  for file in "${other[@]}"; do
    printf '  %-56s %10d %10d\n' "$file" "$(wc -c < "$dist/$file")" "$(brotli_size "$file")"
  done
fi

app_br=$((entry_br + chunks_br))
printf '\nwhole app, entry and every chunk: %s KB brotli (goal %s KB)\n' "$(kb "$app_br")" "$app_kb"
if [ "$status" -eq 0 ]; then
  echo "size-budget: entry $(kb "$entry_br") KB brotli, within the $entry_kb KB budget; every chunk within $chunk_kb KB"
fi
exit "$status"
