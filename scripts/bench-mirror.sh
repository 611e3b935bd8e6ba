#!/usr/bin/env bash
# HTTP-to-screen latency of the TUI mirror: run `memallook --http 0` in tmux,
# POST /alloc with curl, poll capture-pane until the TUI's message line names
# that request. Prints median, p90 and max in ms over N requests (default 50);
# includes curl's and tmux's own time, so it bounds memallook's part from above.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-50}
swift build -c release --product memallook >/dev/null
dir=$(mktemp -d)
sock="$dir/sock"
trap 'tmux -S "$sock" kill-server 2>/dev/null; rm -rf "$dir"' EXIT
tmux -S "$sock" -f /dev/null new-session -d -x 120 -y 40 \
  "LANG=C.UTF-8 TERM=tmux-256color XDG_STATE_HOME=$dir .build/release/memallook --http 0"
port=""
for _ in $(seq 50); do
  port=$(tmux -S "$sock" capture-pane -p | head -1 | grep -o 'http://127.0.0.1:[0-9]*' | grep -o '[0-9]*$' || true)
  [ -n "$port" ] && break
  sleep 0.1
done
curl -s -X POST "http://127.0.0.1:$port/new?p=1&N=100000" >/dev/null
samples=()
for i in $(seq "$N"); do
  start=$(date +%s%N)
  tag=$(curl -s -X POST "http://127.0.0.1:$port/alloc?M=1")
  until tmux -S "$sock" capture-pane -p | grep -q "HTTP: ALLOC M=1 → ok, tag = \"$tag\""; do :; done
  samples+=($(( ($(date +%s%N) - start) / 1000 )))
done
printf '%s\n' "${samples[@]}" | sort -n | awk -v n="$N" '
  { v[NR] = $1 }
  END { printf "HTTP request to TUI screen over %d requests: median %.1f ms, p90 %.1f ms, max %.1f ms\n",
        n, v[int(n/2)+1]/1000, v[int(n*0.9)]/1000, v[n]/1000 }'
