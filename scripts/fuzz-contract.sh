#!/usr/bin/env bash
# Fuzzes the contract: schemathesis sends thousands of generated requests, valid and invalid, to every
# operation of the OpenAPI document the real (debug) server serves, signed in as a school's
# administrator, and fails on any 5xx and on any answer the document does not describe (status, type,
# headers, body). The server runs on a loopback port with a fresh data directory.
#
# FUZZ_EXAMPLES (default 25) sets the examples per operation and phase; FUZZ_SEED a seed to replay a
# run; FUZZ_LOG the server's RUST_LOG (`tower_http=debug` logs every request) and FUZZ_SERVER_LOG a
# file to keep its log in. Needs the venv `scripts/install-tools.sh` makes ($PARTA_TOOLS/schemathesis).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source scripts/env.sh

st="$PARTA_TOOLS/schemathesis/bin/st"
if [ ! -x "$st" ]; then
  echo "schemathesis is not installed: run scripts/install-tools.sh" >&2
  exit 1
fi
examples="${FUZZ_EXAMPLES:-25}"

cargo build --locked --quiet -p parta-server
server_bin="${CARGO_TARGET_DIR:-$root/target}/debug/parta-server"

# Under target/, not /tmp: a shared machine's /tmp may be swept while the run goes on.
mkdir -p "${CARGO_TARGET_DIR:-$root/target}/fuzz"
work="$(mktemp -d "${CARGO_TARGET_DIR:-$root/target}/fuzz/run-XXXXXX")"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  if [ -n "${FUZZ_SERVER_LOG:-}" ]; then cp "$work/server.log" "$FUZZ_SERVER_LOG"; fi
  rm -rf "$work"
}
trap cleanup EXIT

admin_phone="+79000000001"
"$server_bin" create-school --data-dir "$work/data" --name "Средняя школа № 1" --short-name "Школа № 1" \
  --admin-phone "$admin_phone" >/dev/null 2>&1
school_id=1
"$server_bin" add-class --data-dir "$work/data" --school-id "$school_id" --name 5А >/dev/null 2>&1

# No dist directory: only the API is served. The limits on codes and sign-ins per address are the
# fuzzer's to hit (they are part of the contract), but not before our own sign-in.
RUST_LOG="${FUZZ_LOG:-warn}" "$server_bin" serve --addr 127.0.0.1:0 --data-dir "$work/data" --dist "$work/no-dist" \
  --dev-outbox >"$work/server.log" 2>&1 &
server_pid=$!
base=""
for _ in $(seq 1 300); do
  base="$(sed -n 's/^Parta is running at \(http:[^ ]*\)$/\1/p' "$work/server.log")"
  [ -n "$base" ] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
  sleep 0.1
done
[ -n "$base" ] || { echo "the server did not start" >&2; cat "$work/server.log" >&2; exit 1; }

csrf="x-parta-csrf: 1"
json="content-type: application/json"
curl -sf -X POST -H "$csrf" -H "$json" -d "{\"phone\":\"$admin_phone\"}" "$base/api/v1/auth/code" >/dev/null
code="$(curl -sf "$base/api/v1/dev/outbox?phone=%2B${admin_phone#+}" | sed -n 's/.*"code":"\([0-9]*\)".*/\1/p')"
cookie="$(curl -sf -D - -o /dev/null -X POST -H "$csrf" -H "$json" \
  -d "{\"phone\":\"$admin_phone\",\"code\":\"$code\"}" "$base/api/v1/auth/session" |
  sed -n 's/^[Ss]et-[Cc]ookie: \(parta_session=[^;]*\);.*/\1/p')"
[ -n "$cookie" ] || { echo "signing in failed" >&2; exit 1; }
curl -sf -X PUT -H "$csrf" -H "$json" -H "cookie: $cookie" \
  -d '{"first_name":"Анна","last_name":"Петрова","birth_date":"1980-04-01"}' "$base/api/v1/me/profile" >/dev/null

# Ids of what exists (the school, its first chats, classes, people and what the run itself makes)
# most of the time, so that requests get past «not found» to the checks behind it; any id otherwise.
cat >"$work/schemathesis.toml" <<TOML
[dictionaries.school]
values = [$school_id]
[dictionaries.ids]
values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]

[parameters]
"path.school_id" = { dictionary = "school", probability = 0.9 }
"path.id" = { dictionary = "ids", probability = 0.7 }
"path.message_id" = { dictionary = "ids", probability = 0.7 }
"path.user_id" = { dictionary = "ids", probability = 0.7 }
"path.student_id" = { dictionary = "ids", probability = 0.7 }
"path.membership_id" = { dictionary = "ids", probability = 0.7 }
"query.chat_id" = { dictionary = "ids", probability = 0.5 }
"query.class_id" = { dictionary = "ids", probability = 0.5 }
TOML

# Signing out would end the session every later request uses; the WebSocket is no HTTP request/answer.
cd "$work"
"$st" --config-file "$work/schemathesis.toml" run "$base/api/v1/openapi.json" \
  --url "$base" \
  --header "cookie: $cookie" \
  --header "$csrf" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance \
  --exclude-operation-id sign_out \
  --exclude-path /api/v1/events \
  --max-examples "$examples" \
  --workers 2 \
  --generation-database none \
  --no-color \
  ${FUZZ_SEED:+--seed "$FUZZ_SEED"} \
  --report junit --report-dir "$work/report" \
  || { status=$?; echo "the server's log:" >&2; tail -n 50 "$work/server.log" >&2; exit "$status"; }
