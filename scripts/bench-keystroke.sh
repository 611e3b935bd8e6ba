#!/usr/bin/env bash
# Keystroke-to-screen latency of the TUI, measured through tmux: type one
# character, poll capture-pane until the prompt shows it. Prints the median and
# the 90th percentile in milliseconds over N keys (default 100). Includes tmux's
# own delivery and capture time, so it is an upper bound on memallook's part.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-100}
swift build -c release --product memallook >/dev/null
dir=$(mktemp -d)
sock="$dir/sock"
trap 'tmux -S "$sock" kill-server 2>/dev/null; rm -rf "$dir"' EXIT
tmux -S "$sock" -f /dev/null new-session -d -x 120 -y 40 \
  "LANG=C.UTF-8 TERM=tmux-256color XDG_STATE_HOME=$dir .build/release/memallook"
for _ in $(seq 50); do tmux -S "$sock" capture-pane -p | grep -q "No heap yet" && break; sleep 0.1; done
tmux -S "$sock" send-keys -l "NEW 16 4096"; tmux -S "$sock" send-keys Enter
samples=()
for i in $(seq "$N"); do
  char=$(printf "\\x$(printf %x $((97 + i % 26)))")
  expected="> ?$(printf '%*s' $(( (i - 1) % 60 )) '' | tr ' ' 'x')$char"
  start=$(date +%s%N)
  tmux -S "$sock" send-keys -l "$char"
  until tmux -S "$sock" capture-pane -p | grep -q -E -- "^$expected"; do :; done
  samples+=($(( ($(date +%s%N) - start) / 1000 )))
  tmux -S "$sock" send-keys BSpace
  tmux -S "$sock" send-keys -l x
  if (( i % 60 == 0 )); then tmux -S "$sock" send-keys C-u; fi
  until tmux -S "$sock" capture-pane -p | grep -q -E -- "^> ?$(printf '%*s' $(( i % 60 )) '' | tr ' ' 'x')\$"; do :; done
done
printf '%s\n' "${samples[@]}" | sort -n | awk -v n="$N" '
  { v[NR] = $1 }
  END { printf "keystroke to screen over %d keys: median %.1f ms, p90 %.1f ms, max %.1f ms\n",
        n, v[int(n/2)+1]/1000, v[int(n*0.9)]/1000, v[n]/1000 }'
