#!/usr/bin/env bash
# The real-terminal check for the chat app: start `advisor` under tmux, type a question, and
# require the answer (the cheapest box that works and its tok/s) on screen within 2 seconds.
#   bash scripts/tmux_check.sh [path/to/advisor]
set -euo pipefail
advisor=${1:-advisor}
session=advisor-check-$$
config=$(mktemp -d)
trap 'tmux kill-session -t "$session" 2>/dev/null || true; rm -rf "$config"' EXIT

tmux new-session -d -s "$session" -x 120 -y 40 "ADVISOR_CONFIG_DIR=$config LANG=en_US.UTF-8 $advisor"
# Poll the screen until PATTERN shows, or fail after LIMIT seconds; prints the elapsed seconds.
wait_for() {
  local pattern=$1 limit=$2 what=$3 since
  since=$(date +%s.%N)
  until tmux capture-pane -t "$session" -p | grep -q "$pattern"; do
    sleep 0.05
    if (( $(echo "$(date +%s.%N) - $since > $limit" | bc) )); then
      echo "FAIL: $what within $limit s" >&2; tmux capture-pane -t "$session" -p >&2; exit 1
    fi
  done
  echo "$(date +%s.%N) - $since" | bc
}

painted=$(wait_for "Ask which box" 10 "the app did not paint")  # a failure here stops the script
printf 'first paint after %.2f s\n' "$painted"
# A person takes a second or more to type the question; the core loads in that time.
sleep "${ADVISOR_TYPING_SECONDS:-1.5}"
tmux send-keys -t "$session" "What should I buy to run DeepSeek R1 at 4-bit under \$10,000?"
wait_for 'under \$10,000?' 2 "the question did not show as typed" >/dev/null
tmux send-keys -t "$session" Enter
# the recommendation's first line: a box to buy, or the cheapest that works over the budget
headline='Best setup\|Buy:\|option that runs it'
answered=$(wait_for "$headline" 2 "no answer")
screen=$(tmux capture-pane -t "$session" -p)
grep -q "tok/s" <<<"$screen" || { echo "FAIL: answer has no tok/s"; echo "$screen"; exit 1; }
printf 'answer with the recommended box and its tok/s %.2f s after Enter\n' "$answered"
grep -m1 "$headline" <<<"$screen"
tmux send-keys -t "$session" C-c
echo "ok"
