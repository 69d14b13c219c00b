#!/bin/sh
# The overhead of a sweep: 1000 points of a tiny scenario (1 ms of CPU), each its own gilsim
# process, timed end to end and given as points per second, beside 50 bare `gilsim run`s in a row.
# usage: bench/sweep_bench.sh [GILSIM_BINARY] [-j N]   (default: build/gilsim, the host's cores)
set -eu

gilsim=${1:-build/gilsim}
[ $# -gt 0 ] && shift
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cat >"$work/tiny.yaml" <<'EOF'
# One native thread, 1 ms of CPU: the simulation itself takes microseconds.
machine: {cores: 1}
scheduler: {policy: cfs}
processes:
  - name: p
    runtime: native
    threads:
      - {name: w, program: [{cpu: 1ms}]}
EOF

now() { date +%s.%N; }

t0=$(now)
i=0
while [ $i -lt 50 ]; do
  "$gilsim" run "$work/tiny.yaml" --json >/dev/null
  i=$((i + 1))
done
t1=$(now)

# The wake-up latency plays no part in this scenario: 1000 points that all do the same work.
"$gilsim" sweep "$work/tiny.yaml" --grid machine.wakeup_latency=1us..1000us --out "$work/out" "$@"
t2=$(now)

rows=$(($(wc -l <"$work/out/results.csv") - 1))
ok=$(grep -c ',ok,' "$work/out/results.csv" || true)
awk -v t0="$t0" -v t1="$t1" -v t2="$t2" -v rows="$rows" -v ok="$ok" -v cores="$(nproc)" 'BEGIN {
  printf "bare gilsim run:   %.1f ms per run, one after the other\n", (t1 - t0) / 50 * 1000
  printf "sweep of %d points (%d ok) on %d cores: %.2f s, %.0f points/s\n", rows, ok, cores,
         t2 - t1, rows / (t2 - t1)
}'
