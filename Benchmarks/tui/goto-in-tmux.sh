#!/bin/bash
# Seeks in the TUI player as a user makes them, the typing left out: once the scout has
# read the trace, each GOTO is typed, then Enter is timed until the screen shows the step
# (tmux polled every 20 ms). Then End.
#   memallook generate --seed 9 --ops 10000000 --max-live 100000 > w7.rep
#   bash Benchmarks/tui/goto-in-tmux.sh .build/release/memallook w7.rep
M=$1; T=$2
tmux kill-server 2>/dev/null
tmux new-session -d -x 120 -y 40 "XDG_STATE_HOME=/tmp/tuim $M tui --trace $T"
wait_for() { local end=$(( $(date +%s) + $2 )); while [ $(date +%s) -lt $end ]; do if tmux capture-pane -p -t 0 | grep -q -- "$1"; then echo "$(echo "$(date +%s.%N) - $3" | bc)"; return 0; fi; sleep 0.02; done; echo timeout; }
wait_for 'operations' 60 0 >/dev/null
end=$(( $(date +%s) + 300 )); while [ $(date +%s) -lt $end ]; do tmux capture-pane -p -t 0 | grep -q 'reading' || break; sleep 0.2; done
for target in 1234567 9999999 4999000 312000 7654321; do
  tmux send-keys -t 0 "GOTO $target"; sleep 1.5
  t=$(date +%s.%N); tmux send-keys -t 0 Enter; echo "GOTO $target (Enter only): $(wait_for " $target/10000000" 30 $t) s"
done
t=$(date +%s.%N); tmux send-keys -t 0 End; echo "End: $(wait_for '10000000/10000000' 30 $t) s"
tmux kill-server; cat /proc/loadavg
