#!/usr/bin/env bash
# Fuzzes the contract: schemathesis sends thousands of generated requests, valid and invalid, to every
# operation of the OpenAPI document the real (debug) server serves, signed in as a school's
# administrator, and fails on any 5xx and on any answer the document does not describe (status, type,
# headers, body). The server runs on a loopback port with a fresh data directory.
#
# FUZZ_EXAMPLES sets the examples per operation and phase (default 100: about 11,000 requests, under
# 4 minutes on a busy 2-core VM); FUZZ_SEED a seed to replay a run; FUZZ_LOG the server's RUST_LOG
# (`tower_http=debug` logs every request) and FUZZ_SERVER_LOG a file to keep its log in. Needs the venv `scripts/install-tools.sh` makes ($PARTA_TOOLS/schemathesis).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source scripts/env.sh

st="$PARTA_TOOLS/schemathesis/bin/st"
if [ ! -x "$st" ]; then
  echo "schemathesis is not installed: run scripts/install-tools.sh" >&2
  exit 1
fi
examples="${FUZZ_EXAMPLES:-100}"

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
# A person signed in with this phone: prints the session cookie.
sign_in() {
  curl -sf -X POST -H "$csrf" -H "$json" -d "{\"phone\":\"$1\"}" "$base/api/v1/auth/code" >/dev/null
  local code
  code="$(curl -sf "$base/api/v1/dev/outbox?phone=%2B${1#+}" | sed -n 's/.*"code":"\([0-9]*\)".*/\1/p')"
  curl -sf -D - -o /dev/null -X POST -H "$csrf" -H "$json" -d "{\"phone\":\"$1\",\"code\":\"$code\"}" \
    "$base/api/v1/auth/session" | sed -n 's/^[Ss]et-[Cc]ookie: \(parta_session=[^;]*\);.*/\1/p'
}
# A call of the API as the person with the cookie $1: method, path, JSON body; prints the answer.
call() {
  curl -sf -X "$2" -H "$csrf" -H "$json" -H "cookie: $1" "$base/api/v1$3" ${4:+-d "$4"}
}
# A field of a JSON answer on stdin, by a Python expression on `a`.
field() { python3 -c "import json, sys; a = json.load(sys.stdin); print($1)"; }

cookie="$(sign_in "$admin_phone")"
[ -n "$cookie" ] || { echo "signing in failed" >&2; exit 1; }
call "$cookie" PUT /me/profile '{"first_name":"Анна","last_name":"Петрова","birth_date":"1980-04-01"}' >/dev/null

# Something of every kind the operations take an id of, so that the fuzzer gets past «not found»:
# messages (one asking to be acknowledged) and a poll in the staff chat, a file, an invite to the
# class with approval, and a parent who asked to join through it.
staff_chat="$(call "$cookie" GET /chats | field 'a[0]["id"]')"
for n in 1 2 3; do
  call "$cookie" POST "/chats/$staff_chat/messages" \
    "{\"client_id\":\"fuzz-seed-$n\",\"text\":\"Сообщение $n\",\"ask_ack\":$([ $n = 1 ] && echo true || echo false)}" >/dev/null
done
call "$cookie" POST "/chats/$staff_chat/polls" \
  '{"client_id":"fuzz-seed-poll","question":"Когда собрание?","options":["Во вторник","В четверг"]}' >/dev/null
curl -sf -X POST -H "$csrf" -H "cookie: $cookie" -H "content-type: application/octet-stream" \
  -H "x-file-name: plan.txt" --data-binary "План собрания" "$base/api/v1/files?keep=true" >/dev/null
class_id="$(call "$cookie" GET "/schools/$school_id/invite-targets" |
  field '[t["target"]["class_id"] for t in a if t["target"]["kind"] == "class"][0]')"
invite_key="$(call "$cookie" POST "/schools/$school_id/invites" \
  "{\"target\":{\"kind\":\"class\",\"class_id\":$class_id},\"role\":\"parent\",\"expiry\":{\"kind\":\"never\"},\"requires_approval\":true}" |
  field 'a["token"]')"
parent="$(sign_in +79000000002)"
call "$parent" PUT /me/profile '{"first_name":"Иван","last_name":"Смирнов","birth_date":"1985-02-03"}' >/dev/null
call "$parent" POST "/join/$invite_key" '{"child_name":"Маша Смирнова"}' >/dev/null

# Ids of what exists (the school, its first chats, classes, people and what the run itself makes)
# most of the time, so that requests get past «not found» to the checks behind it; any id otherwise.
cat >"$work/schemathesis.toml" <<TOML
[dictionaries.school]
values = [$school_id]
[dictionaries.ids]
values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
[dictionaries.key]
values = ["$invite_key"]

[parameters]
"path.school_id" = { dictionary = "school", probability = 0.9 }
"path.id" = { dictionary = "ids", probability = 0.7 }
"path.message_id" = { dictionary = "ids", probability = 0.7 }
"path.user_id" = { dictionary = "ids", probability = 0.7 }
"path.student_id" = { dictionary = "ids", probability = 0.7 }
"path.membership_id" = { dictionary = "ids", probability = 0.7 }
"query.chat_id" = { dictionary = "ids", probability = 0.5 }
"query.class_id" = { dictionary = "ids", probability = 0.5 }
"path.key" = { dictionary = "key", probability = 0.5 }
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
