#!/usr/bin/env python3
"""Who wins a GIL hand-off, simulated against CPython 3.12: runs scenarios/whatif/convoy_k.yaml
for K = 1..4 CPU-bound threads under each `handoff` model (several seeds each) and prints, per
model and K, the share of the I/O thread's I/Os that waited 0, 1, 2, 3, 4 and 5 or more switch
intervals for the GIL, the mean wait in intervals, its first-interval win rate and the makespan,
beside the real figures docs/model.md section 3 quotes.

    scripts/convoy-compare.py [--gilsim build/gilsim] [--seeds 5] [--models random,fifo,condvar]
                              [--k 1,2,3,4] [--set python.rewait_time=3us ...]

A wait is counted in whole intervals: round(wait / interval), the wait measured from the end of
an I/O to the moment the thread holds the GIL again (from the run's Chrome trace).
"""
import argparse
import json
import pathlib
import subprocess
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
SCENARIO = ROOT / "scenarios" / "whatif" / "convoy_k.yaml"
INTERVAL_US = 5000.0
BINS = 6  # 0, 1, 2, 3, 4, 5+ intervals
# CPython 3.12.1 on a 2-vCPU AMD EPYC guest, 3 rounds (docs/model.md section 3): K -> (waits of
# 1..4 intervals, wall time).
REAL = {
    1: ("1 interval: 96-100%", "1.89-2.06 s"),
    2: ("1/2/3/4 intervals: 38-42/21-36/11-12/5-7%", "3.57-4.45 s"),
    3: ("1/2/3/4 intervals: 38-52/10-13/10-12/12-13%", "4.13-5.33 s"),
    4: ("1/2/3/4 intervals: 21-45/10-19/7-17/6-10%", "5.51-7.12 s"),
}


def waits(trace_file):
    """The I/O thread's GIL waits after each I/O, in microseconds."""
    doc = json.loads(pathlib.Path(trace_file).read_text())
    events = doc["traceEvents"] if isinstance(doc, dict) else doc
    io_ends, holds = [], []
    for e in events:
        if e.get("ph") != "X" or e.get("args", {}).get("thread", "").split("/")[-1] != "io":
            continue
        if e.get("cat") == "state" and e["name"] == "io":
            io_ends.append(e["ts"] + e["dur"])
    for e in events:
        if e.get("ph") == "X" and e.get("cat") == "gil" and e["name"] == "io":
            holds.append(e["ts"])
    holds.sort()
    out = []
    for end in sorted(io_ends):
        later = [h for h in holds if h >= end - 1e-6]
        if later:
            out.append(later[0] - end)
    return out


def run(gilsim, k, model, seed, extra=()):
    with tempfile.TemporaryDirectory() as tmp:
        trace = pathlib.Path(tmp) / "trace.json"
        out = subprocess.run(
            [gilsim, "run", str(SCENARIO), "--json", "--seed", str(seed),
             "--set", f"processes.app.threads.crunch.count={k}",
             "--set", f"python.handoff={model}", "--trace", str(trace)]
            + [x for kv in extra for x in ("--set", kv)],
            check=True, capture_output=True, text=True).stdout
        return json.loads(out)["makespan_s"], waits(trace)


def row(gilsim, k, model, seeds, extra=()):
    hist = [0] * BINS
    total = count = 0
    spans = []
    for seed in range(1, seeds + 1):
        span, ws = run(gilsim, k, model, seed, extra)
        spans.append(span)
        for w in ws:
            n = int(round(w / INTERVAL_US))
            hist[min(n, BINS - 1)] += 1
            total += w / INTERVAL_US
            count += 1
    shares = [100.0 * h / count for h in hist]
    won_first = 100.0 * hist[1] / max(1, count - hist[0])
    return shares, total / count, won_first, sum(spans) / len(spans)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--gilsim", default=str(ROOT / "build" / "gilsim"))
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--models", default="random,fifo,condvar")
    ap.add_argument("--k", default="1,2,3,4")
    ap.add_argument("--set", action="append", default=[], help="another override for every run")
    a = ap.parse_args()
    print("| handoff | K | waits 0/1/2/3/4/5+ intervals (%) | mean (intervals) "
          "| 1st interval won | makespan (s) | CPython 3.12 |")
    print("|---|---|---|---|---|---|---|")
    for model in a.models.split(","):
        for k in (int(x) for x in a.k.split(",")):
            shares, mean, first, span = row(a.gilsim, k, model, a.seeds, a.set)
            real = REAL.get(k, ("", ""))
            print(f"| {model} | {k} | {'/'.join(f'{s:.0f}' for s in shares)} | {mean:.2f} "
                  f"| {first:.0f}% | {span:.2f} | {'; '.join(x for x in real if x)} |")


if __name__ == "__main__":
    main()
