#!/usr/bin/env bash
# The real-terminal check for the chat app: start `advisor` under tmux, type a question, and
# require the answer (recommended box and its tok/s) on screen within 2 seconds.
#   bash scripts/tmux_check.sh [path/to/advisor]
set -euo pipefail
advisor=${1:-advisor}
session=advisor-check-$$
config=$(mktemp -d)
trap 'tmux kill-session -t "$session" 2>/dev/null || true; rm -rf "$config"' EXIT

tmux new-session -d -s "$session" -x 120 -y 40 "ADVISOR_CONFIG_DIR=$config LANG=en_US.UTF-8 $advisor"
started=$(date +%s.%N)
until tmux capture-pane -t "$session" -p | grep -q "Ask which box"; do
  sleep 0.05
  if (( $(echo "$(date +%s.%N) - $started > 10" | bc) )); then
    echo "FAIL: the app did not paint within 10 s"; tmux capture-pane -t "$session" -p; exit 1
  fi
done
painted=$(date +%s.%N)
printf 'first paint after %.2f s\n' "$(echo "$painted - $started" | bc)"

tmux send-keys -t "$session" "What should I buy to run DeepSeek R1 at 4-bit under \$10,000?" Enter
asked=$(date +%s.%N)
until tmux capture-pane -t "$session" -p | grep -q "Buy: Mac Studio"; do
  sleep 0.05
  if (( $(echo "$(date +%s.%N) - $asked > 2" | bc) )); then
    echo "FAIL: no answer within 2 s"; tmux capture-pane -t "$session" -p; exit 1
  fi
done
answered=$(date +%s.%N)
screen=$(tmux capture-pane -t "$session" -p)
grep -q "tok/s" <<<"$screen" || { echo "FAIL: answer has no tok/s"; echo "$screen"; exit 1; }
printf 'answer with the recommended box and its tok/s after %.2f s\n' "$(echo "$answered - $asked" | bc)"
grep -m1 "Buy:" <<<"$screen"
grep -m1 "Decode:" <<<"$screen"
tmux send-keys -t "$session" C-c
echo "ok"
