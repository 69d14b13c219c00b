#!/usr/bin/env bash
# Regenerates results/performance.md and its plot (results/performance/growth.svg): bench/speed.py's
# sweeps, engine, one-GIL-at-scale and growth tables in one run, then, when HOMEWORK_DIR names a
# checkout of the OSTEP homework simulators, bench/textbook_bench.py's table beside them.
#
#   scripts/performance.sh [BASE_GILSIM [BASE_NAME]]   # after building; about 10 minutes
#
# BASE_GILSIM is an older gilsim binary for the engine's "vs the base" column. GILSIM=FILE
# measures another binary than build/gilsim. Run it on a quiet machine: nothing else building
# or measuring (the tables print the load average before and after). gnuplot draws the plot
# (Debian: gnuplot-nox); without it the tables are written and the plot is left out. Earlier
# measurements, each with its own date and command, are kept in results/performance-history.md.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
binary=$(realpath "${GILSIM:-$root/build/gilsim}")
cd "$root"
args=(--gilsim "$binary" --markdown --plots results/performance --plots-base results)
if [ $# -ge 1 ]; then
  args+=(--base "$(realpath "$1")")
  [ $# -ge 2 ] && args+=(--base-name "$2")
fi
page=results/performance.md
tmp=$(mktemp "$page.XXXXXX")
trap 'rm -f "$tmp"' EXIT
{
  python3 bench/speed.py "${args[@]}"
  if [ -n "${HOMEWORK_DIR:-}" ]; then
    echo "## Beside the textbook simulators (bench/textbook_bench.py)"
    echo
    echo '```'
    python3 bench/textbook_bench.py "$HOMEWORK_DIR" "$binary"
    echo '```'
    echo
  fi
  echo "Earlier measurements (the sweeps on a quiet host, the queue walk, one GIL at scale before"
  echo "its waiters were ordered), each with its date and command: [performance-history.md](performance-history.md)."
} > "$tmp"
mv "$tmp" "$page"
trap - EXIT
echo "wrote $page"
