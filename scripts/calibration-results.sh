#!/bin/sh
# Regenerates results/calibration.md: calibrates this host (the full measurement, about half a
# minute) into results/host-profile.yaml, then validates the simulator against it (about a
# minute) and writes the profile's figures and the validate table into the page.
#
#     scripts/calibration-results.sh [--quick]      # after building; run on a quiet machine
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
gilsim="$root/build/gilsim"
profile="$root/results/host-profile.yaml"
page="$root/results/calibration.md"
size="${1:-}"

started=$(date +%s)
"$gilsim" calibrate $size --out "$profile" >/dev/null
table=$("$gilsim" validate $size --profile "$profile")
took=$(( $(date +%s) - started ))

{
  cat <<EOF
# Calibration of this host, and the simulator validated against it

Regenerate with \`scripts/calibration-results.sh${size:+ $size}\` (after building, on a quiet
machine; it took ${took} s here). It runs
\`build/gilsim calibrate ${size:+$size }--out results/host-profile.yaml\`, then
\`build/gilsim validate ${size:+$size }--profile results/host-profile.yaml\`, and writes this
page. What is measured and how, what \`speed: host\` means, and why a prediction can miss:
see [docs/calibration.md](../docs/calibration.md).

## The host profile

The fitted and measured figures, with their provenance (the whole file is
[results/host-profile.yaml](host-profile.yaml)):

\`\`\`yaml
EOF
  sed -n '/^provenance:/,$p' "$profile"
  cat <<EOF
\`\`\`

## Validate: the real kernel against its simulation

Each configuration runs the native prime kernel for real (wall clock, median of the runs,
taken in rounds over the whole matrix) and is simulated from the profile in its own gilsim
process. \`spread\` is the median absolute deviation of the runs over their median; the error
is (predicted - measured) / measured.

EOF
  printf '%s\n' "$table"
} >"$page"
echo "wrote $page" >&2
