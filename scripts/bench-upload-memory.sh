#!/usr/bin/env bash
# Peak memory of the server while pictures are uploaded at once: 1, 4 and 12 decompression bombs
# (PNGs of about 32 KB saying 16000 × 16000 pixels, 256 MB once decoded; the outside test's was
# 249 KB), then as many of the largest pictures the server takes (40 megapixels with transparency,
# 160 MB once decoded). Each round starts a fresh release server on a loopback port and reads its
# VmHWM from /proc/<pid>/status once every upload has its answer.
#
# PARTA_SERVER_BIN measures another build of the server (an older one, to compare).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source scripts/env.sh

server_bin="${PARTA_SERVER_BIN:-}"
if [ -z "$server_bin" ]; then
  cargo build --locked --quiet --release -p parta-server
  server_bin="${CARGO_TARGET_DIR:-$root/target}/release/parta-server"
fi

work="$(mktemp -d -t parta-bench-upload-XXXXXX)"
server_pid=""
stop_server() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
  fi
}
trap 'stop_server; rm -rf "$work"' EXIT

# The pictures, written row by row by Python's zlib: nothing here holds their pixels.
python3 - "$work" <<'PY'
import struct, sys, zlib

def png(path, width, height, color_type, bytes_per_row):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    depth = 1 if color_type == 0 else 8
    deflate = zlib.compressobj(9)
    row = b"\0" + bytes(bytes_per_row)
    data = b"".join(deflate.compress(row) for _ in range(height)) + deflate.flush()
    with open(path, "wb") as out:
        out.write(b"\x89PNG\r\n\x1a\n")
        out.write(chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, depth, color_type, 0, 0, 0)))
        out.write(chunk(b"IDAT", data))
        out.write(chunk(b"IEND", b""))

work = sys.argv[1]
png(f"{work}/bomb.png", 16000, 16000, 0, 16000 // 8)
png(f"{work}/largest.png", 8000, 5000, 6, 8000 * 4)
PY

admin_phone="+79000000001"
csrf="x-parta-csrf: 1"
json="content-type: application/json"

# Starts a fresh server with a school and its signed-in administrator: sets base and cookie.
start_server() {
  local data="$work/data-$1"
  "$server_bin" create-school --data-dir "$data" --name "Школа № 1" --admin-phone "$admin_phone" >/dev/null 2>&1
  RUST_LOG=error "$server_bin" serve --addr 127.0.0.1:0 --data-dir "$data" --dist "$work/no-dist" \
    --dev-outbox >"$work/server.log" 2>&1 &
  server_pid=$!
  base=""
  for _ in $(seq 1 100); do
    base="$(sed -n 's/^Parta is running at \(http:[^ ]*\)$/\1/p' "$work/server.log")"
    [ -n "$base" ] && break
    sleep 0.1
  done
  [ -n "$base" ] || { echo "the server did not start" >&2; cat "$work/server.log" >&2; exit 1; }
  curl -sf -X POST -H "$csrf" -H "$json" -d "{\"phone\":\"$admin_phone\"}" "$base/api/v1/auth/code" >/dev/null
  local code
  code="$(curl -sf "$base/api/v1/dev/outbox?phone=%2B${admin_phone#+}" | sed -n 's/.*"code":"\([0-9]*\)".*/\1/p')"
  cookie="$(curl -sf -D - -o /dev/null -X POST -H "$csrf" -H "$json" \
    -d "{\"phone\":\"$admin_phone\",\"code\":\"$code\"}" "$base/api/v1/auth/session" |
    sed -n 's/^[Ss]et-[Cc]ookie: \(parta_session=[^;]*\);.*/\1/p')"
  curl -sf -X PUT -H "$csrf" -H "$json" -H "cookie: $cookie" \
    -d '{"first_name":"Анна","last_name":"Петрова","birth_date":"1980-04-01"}' "$base/api/v1/me/profile" >/dev/null
}

peak_mb() {
  awk '/^VmHWM:/ { printf "%.0f", $2 / 1024 }' "/proc/$server_pid/status"
}

# Uploads `count` copies of a picture at once; prints the peak and how the uploads were answered.
measure() {
  local picture="$1" count="$2" round="$1-$2"
  start_server "$round"
  local idle
  idle="$(peak_mb)"
  local started=$SECONDS
  for i in $(seq 1 "$count"); do
    curl -s -o /dev/null -w '%{http_code}\n' -X POST -H "$csrf" -H "cookie: $cookie" \
      -H "x-file-name: $picture-$i.png" --data-binary "@$work/$picture.png" "$base/api/v1/files" \
      >"$work/status-$round-$i" &
  done
  wait $(jobs -p | grep -vx "$server_pid")
  local answers
  answers="$(cat "$work"/status-"$round"-* | sort | uniq -c | awk '{ printf "%s%s× %s", sep, $1, $2; sep=", " }')"
  printf '| %-16s | %2d | %4s MB | %4s MB | %3d s | %s |\n' "$picture" "$count" "$idle" "$(peak_mb)" \
    "$((SECONDS - started))" "$answers"
  stop_server
}

echo "server: $server_bin ($(nproc) cores; $(du -k "$work/bomb.png" | cut -f1) KB bomb, $(du -k "$work/largest.png" | cut -f1) KB largest picture)"
echo
echo "| picture          | at once | idle | peak | time | answers |"
echo "|---|---|---|---|---|---|"
for count in 1 4 12; do measure bomb "$count"; done
for count in 1 4 12; do measure largest "$count"; done
