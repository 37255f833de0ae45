#!/usr/bin/env bash
# The first-load budget: everything the browser must fetch before Parta is usable — index.html, the
# .js, .wasm and .css files it references, and the modules those scripts import — compressed here with
# `brotli -q 11` (the existing .br files are not trusted, they could be stale) must total at most
# PARTA_BUDGET_KB KB (default 424, see README "First-load budget"; 1 KB = 1024 B). Icons, the
# manifest, config.json and precompressed copies are not part of the first load, nor are files fetched
# only later (the QR scanner's decoder worker, qr_worker*; the staff bundle, staff*): those are listed apart, with their sizes,
# and not counted.
#
# Usage: scripts/size-budget.sh            (dist/ of the repository)
#        PARTA_DIST=path/to/dist PARTA_BUDGET_KB=120 scripts/size-budget.sh
# Exit: 0 within budget, 1 over budget, 2 nothing to measure (no dist/, no brotli).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dist="${PARTA_DIST:-$root/dist}"
budget_kb="${PARTA_BUDGET_KB:-424}"

if [[ ! "$budget_kb" =~ ^[0-9]+([.][0-9]+)?$ ]]; then
  echo "size-budget: PARTA_BUDGET_KB must be a number of KB, not '$budget_kb'" >&2
  exit 2
fi
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
# those scripts import ('./snippets/…' of wasm-bindgen), relative to the root of dist/.
referenced() {
  grep -oE "(href|src)=\"/[^\"]+\"|['\"]/[^'\"]+\.(js|wasm|css)['\"]" "$1" | sed -E "s/^(href|src)=//; s/[\"']//g; s|^/||"
}
imported() {
  grep -oE "(from|import)[[:space:]]*\(?[[:space:]]*['\"]\./[^'\"]+['\"]" "$1" | grep -oE "\./[^'\"]+" | sed 's|^\./||'
}
declare -A first_load=()
while read -r name; do first_load["$name"]=1; done < <(referenced "$dist/index.html")
for name in "${!first_load[@]}"; do
  if [[ "$name" == *.js && -f "$dist/$name" ]]; then
    while read -r module; do first_load["$(dirname "$name")/$module"]=1; done < <(imported "$dist/$name")
  fi
done

files=(index.html)
later=()
for file in "${candidates[@]}"; do
  if [[ -n "${first_load[$file]:-}" || -n "${first_load[./$file]:-}" ]]; then files+=("$file"); else later+=("$file"); fi
done

total_raw=0
total_br=0
printf '%-48s %12s %12s\n' "file" "raw bytes" "brotli bytes"
for file in "${files[@]}"; do
  raw=$(wc -c < "$dist/$file")
  br=$(brotli -q 11 -c "$dist/$file" | wc -c)
  total_raw=$((total_raw + raw))
  total_br=$((total_br + br))
  printf '%-48s %12d %12d\n' "$file" "$raw" "$br"
done
printf '%-48s %12d %12d\n' "total (${#files[@]} files)" "$total_raw" "$total_br"
if [ "${#later[@]}" -gt 0 ]; then
  printf '\nNot in the first load (index.html does not fetch them; the app does, when needed):\n'
  for file in "${later[@]}"; do
    printf '%-48s %12d %12d\n' "$file" "$(wc -c < "$dist/$file")" "$(brotli -q 11 -c "$dist/$file" | wc -c)"
  done
fi

total_kb=$(awk -v b="$total_br" 'BEGIN { printf "%.1f", b / 1024 }')
if awk -v b="$total_br" -v kb="$budget_kb" 'BEGIN { exit !(b > kb * 1024) }'; then
  echo "size-budget: OVER BUDGET: the first load is ${total_kb} KB brotli, the budget is ${budget_kb} KB" >&2
  exit 1
fi
echo "size-budget: first load ${total_kb} KB brotli, within the ${budget_kb} KB budget"
