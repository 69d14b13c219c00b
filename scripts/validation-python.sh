#!/bin/sh
# Regenerates the tables of results/validation-python.md: calibrates this host with every
# CPython given (default: 3.11, 3.12 and 3.13 under pyenv where present, else the python3 on
# PATH) into results/host-profile-python.yaml, then runs `gilsim validate --python` for each of
# them on the suite and on the held-out programs, and the native `gilsim validate`, and puts
# the tables between the page's <!-- tables --> and <!-- /tables --> lines (the rest of the
# page, the reading of the tables, is kept). Run it after building, on a quiet machine:
# nothing else running, no builds.
#
#     scripts/validation-python.sh [--quick] [PYTHON...]
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
gilsim="$root/build/gilsim"
profile="$root/results/host-profile-python.yaml"
page="$root/results/validation-python.md"
size=""
if [ "${1:-}" = "--quick" ]; then size="--quick"; shift; fi
if [ $# -eq 0 ]; then
  for v in 3.11 3.12 3.13; do
    p=$(ls -d "$HOME"/.pyenv/versions/$v.*/bin/python3 2>/dev/null | tail -1 || true)
    [ -n "$p" ] && set -- "$@" "$p"
  done
  [ $# -eq 0 ] && set -- python3
fi

pyflags=""
for p in "$@"; do pyflags="$pyflags --python $p"; done
started=$(date +%s)
load_before=$(cut -d' ' -f1 /proc/loadavg)
# shellcheck disable=SC2086
"$gilsim" calibrate $size $pyflags --out "$profile" >/dev/null
tables=$(mktemp)
{
  echo "Measured $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)), load average $load_before when it began; profile [results/host-profile-python.yaml](host-profile-python.yaml)."
  for p in "$@"; do
    echo
    echo "### $("$p" -c 'import platform; print(platform.python_implementation(), platform.python_version())') ($p)"
    echo
    # shellcheck disable=SC2086
    "$gilsim" validate $size --python "$p" --profile "$profile"
    echo
    echo "Held out (scenarios/validation/holdout):"
    echo
    # shellcheck disable=SC2086
    "$gilsim" validate $size --python "$p" --profile "$profile" \
      --suite "$root/scenarios/validation/holdout"
  done
  echo
  echo "### The native kernel (gilsim validate)"
  echo
  # shellcheck disable=SC2086
  "$gilsim" validate $size --profile "$profile"
  echo
  echo "Took $(( $(date +%s) - started )) s; load average $(cut -d' ' -f1 /proc/loadavg) at the end."
} > "$tables"

[ -f "$page" ] || printf '# Real Python programs against their twins\n\n<!-- tables -->\n<!-- /tables -->\n' > "$page"
awk -v tables="$tables" '
  /^<!-- tables -->$/ { print; while ((getline l < tables) > 0) print l; skip = 1; next }
  /^<!-- \/tables -->$/ { skip = 0 }
  !skip { print }
' "$page" > "$page.new"
mv "$page.new" "$page"
rm -f "$tables"
echo "wrote $page"
