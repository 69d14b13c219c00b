#!/usr/bin/env bash
# Regenerates results/whatif.md: the what-if studies of scenarios/whatif/, each one `gilsim sweep`
# (every point its own process) drawn by `gilsim plot`, then tabulated by scripts/whatif-report.py.
#
#   scripts/whatif.sh          # after building; a few minutes on 2 cores
#
# GILSIM=FILE runs another gilsim binary; WHATIF_WORK=DIR keeps the sweeps' directories there
# (default build/whatif; each study starts afresh); WHATIF_RESULTS=DIR writes the page and its
# files there instead of results/ (to compare two builds, say); both relative to the repository.
# Needs gnuplot to draw the PNGs (Debian: gnuplot-nox); without it the plots' scripts and data
# are still written, and the page.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
binary=$(realpath "${GILSIM:-$root/build/gilsim}")
cd "$root"  # relative paths from here on: the page's files name no host directory
work=${WHATIF_WORK:-build/whatif}
results=${WHATIF_RESULTS:-results}
out=$results/whatif
scenarios=scenarios/whatif
mkdir -p "$work" "$out"
# A private copy of the binary, so that a rebuild of build/gilsim during the sweeps cannot fail
# the points running at that moment.
cp "$binary" "$work/gilsim"
g=$work/gilsim

# sweep NAME GRID...: a fresh sweep of scenarios/whatif/NAME.yaml; its CSV goes to results/.
sweep() {
  local name=$1
  shift
  rm -rf "${work:?}/$name"
  echo "whatif: $name" >&2
  "$g" sweep "$scenarios/$name.yaml" --out "$work/$name" "$@"
  cp "$work/$name/results.csv" "$out/$name.csv"
}

# plot NAME SUFFIX ARGS...: results/whatif/NAME-SUFFIX.png, and the fits printed beside it.
plot() {
  local name=$1 suffix=$2
  shift 2
  "$g" plot "$out/$name.csv" --out "$out/$name-$suffix.png" "$@" | tee "$out/$name-$suffix.txt"
}

# (a) How many cores until threads stop helping: three services, cores x pool size.
for service in service_cpu service_io service_mixed; do
  sweep "$service" --grid workload.workers=1,4,16,64 --grid machine.cores=1..64:x2
  plot "$service" speedup --x machine.cores --series workload.workers --kind speedup --logx \
    --title "$service: speedup over one core, by pool size (new GIL)"
done

# (b) Processes vs threads vs free-threaded threads, 1 to 64 cores.
sweep primes_scaling --grid workload.model=threads,processes --grid python.gil=new,none \
  --grid machine.cores=1..64:x2
plot primes_scaling makespan --x machine.cores --series workload.model --series python.gil \
  --logx --logy --no-amdahl --title "is_prime over 1..10^7 by 64 workers: makespan"
plot primes_scaling speedup --x machine.cores --series workload.model --series python.gil \
  --kind speedup --logx --title "is_prime over 1..10^7 by 64 workers: speedup over one core"

# (c) The switch interval against an I/O thread's latency beside K CPU-bound threads.
sweep convoy_interval --grid processes.app.threads.crunch.count=1,2,4 \
  --grid python.switch_interval=0.1ms,0.2ms,0.5ms,1ms,2ms,5ms,10ms,20ms --seeds 3
plot convoy_interval p99 --x python.switch_interval --y convoy_p99_s \
  --series processes.app.threads.crunch.count --logx --logy --no-amdahl \
  --title "I/O thread: p99 wait for the GIL after each I/O, by switch interval"

# (d) The services of (a) under open arrivals: p99 and mean latency against the offered rate,
# one curve per core count and model.
rates=50,70,100,140,200,280,400,560,800,1100,1600,2200,3200,4500
for service in service_cpu service_io service_mixed; do
  sweep "${service}_open" --grid workload.arrivals.poisson=$rates --grid machine.cores=1,4,16 \
    --grid workload.model=threads,processes
  for figure in p99 mean; do
    plot "${service}_open" "$figure" --x workload.arrivals.poisson --y "latency_${figure}_s" \
      --series workload.model --series machine.cores --logx --logy --no-amdahl \
      --title "${service}_open: $figure latency (s) against requests per second offered"
  done
done

python3 scripts/whatif-report.py --work "$work" --out "$results/whatif.md"
