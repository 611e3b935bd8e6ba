#!/bin/bash
# The TUI player on a trace of 10^7 operations, as a user meets it (in tmux): when it
# shows, when its scouts finish reading, End/GOTO/Home as typed, resident memory, then
# RACE (every policy) and a GOTO in it. Times include tmux and this script's polling (50 ms).
#   memallook generate --seed 9 --ops 10000000 --max-live 100000 > w7.rep
#   bash Benchmarks/tui/player-in-tmux.sh .build/release/memallook w7.rep
M=$1; T=$2
tmux kill-server 2>/dev/null
cat /proc/loadavg
start=$(date +%s.%N)
tmux new-session -d -x 120 -y 40 "XDG_STATE_HOME=/tmp/tuim $M tui --trace $T"
wait_for() { # text, timeout
  local end=$(( $(date +%s) + $2 ))
  while [ $(date +%s) -lt $end ]; do
    if tmux capture-pane -p -t 0 | grep -q -- "$1"; then echo "$(echo "$(date +%s.%N) - $3" | bc)"; return 0; fi
    sleep 0.05
  done; echo "timeout"; }
echo "player shown after: $(wait_for 'operations' 60 $start) s"
pid=$(pgrep -f "tui --trace $T" | grep -v tmux | head -1); for p in $(pgrep -f "tui --trace $T"); do grep -q "^Name:.*memallook" /proc/$p/status 2>/dev/null && pid=$p; done
t=$(date +%s.%N); echo "scout done after: $(wait_for_gone=1; end=$(( $(date +%s) + 300 )); while [ $(date +%s) -lt $end ]; do tmux capture-pane -p -t 0 | grep -q 'reading' || break; sleep 0.2; done; echo "$(date +%s.%N) - $start" | bc) s"
echo "RSS after reading: $(grep VmRSS /proc/$pid/status)"
t=$(date +%s.%N); tmux send-keys -t 0 End; echo "End: $(wait_for '10000000/10000000' 30 $t) s"
t=$(date +%s.%N); tmux send-keys -t 0 "GOTO 5000000" Enter; echo "GOTO 5000000: $(wait_for ' 5000000/10000000' 30 $t) s"
t=$(date +%s.%N); tmux send-keys -t 0 "GOTO 1234567" Enter; echo "GOTO 1234567: $(wait_for ' 1234567/10000000' 30 $t) s"
t=$(date +%s.%N); tmux send-keys -t 0 Home; echo "Home: $(wait_for ' 0/10000000' 30 $t) s"
echo "RSS: $(grep -E 'VmRSS|VmHWM' /proc/$pid/status | tr '\n' ' ')"
t=$(date +%s.%N); tmux send-keys -t 0 "RACE" Enter; sleep 1
end=$(( $(date +%s) + 600 )); while [ $(date +%s) -lt $end ]; do tmux capture-pane -p -t 0 | grep -q 'reading' || break; sleep 0.5; done
echo "race of 7 read after: $(echo "$(date +%s.%N) - $t" | bc) s"
echo "RSS race: $(grep -E 'VmRSS|VmHWM' /proc/$pid/status | tr '\n' ' ')"
t=$(date +%s.%N); tmux send-keys -t 0 "GOTO 7000000" Enter; echo "race GOTO 7000000: $(wait_for ' 7000000/10000000' 60 $t) s"
tmux capture-pane -p -t 0 | tail -5
tmux kill-server
cat /proc/loadavg
