#!/usr/bin/env bash
# Fuzzes the HTTP service from its own OpenAPI document with schemathesis:
# no request may get a 5xx, and the server must still be alive afterwards.
# Usage: scripts/fuzz-http.sh [BINARY]   (default .build/debug/memallook)
set -euo pipefail
cd "$(dirname "$0")/.."
binary=${1:-.build/debug/memallook}
if ! command -v schemathesis >/dev/null 2>&1; then
  python3 -m pip install -q schemathesis >/dev/null 2>&1 || { echo "fuzz-http: cannot install schemathesis (pip install schemathesis)" >&2; exit 1; }
fi
log=$(mktemp)
"$binary" serve --port 0 >"$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -f "$log"' EXIT
port=""
for _ in $(seq 100); do
  port=$(grep -o 'listening on http://127.0.0.1:[0-9]*' "$log" | grep -o '[0-9]*$' || true)
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { echo "fuzz-http: the server did not start" >&2; cat "$log" >&2; exit 1; }
schemathesis run "http://127.0.0.1:$port/openapi.json" --url "http://127.0.0.1:$port" \
  --checks not_a_server_error --max-examples 40 --phases=examples,fuzzing --seed 2026 --no-color
kill -0 $server || { echo "fuzz-http: the server died" >&2; exit 1; }
echo "fuzz-http: no 5xx, server alive"
