#!/usr/bin/env python3
"""Regenerates results/lessons-primes.md: the lessons' prime experiments (shared/seeds/004),
seed figure beside simulated figure. Each run is its own gilsim process.

    scripts/lessons-primes.py [--gilsim build/gilsim] [--out results/lessons-primes.md]
"""
import argparse
import json
import pathlib
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
WAIT = ROOT / "scenarios/lessons/primes_wait.yaml"
COMPARE = ROOT / "scenarios/lessons/primes_compare.yaml"

# (runner in the lesson, workers, seed seconds, gilsim --set overrides)
WAIT_ROWS = [
    ("sync", 1, 50.5522, ["workload.model=sync"]),
    ("cooperative", 2, 51.1277, ["workload.model=cooperative", "workload.workers=2"]),
    ("asyncio SIMPLE", 2, 32.1810, ["workload.model=asyncio", "workload.workers=2"]),
    ("asyncio SIMPLE", 3, 21.0620, ["workload.model=asyncio", "workload.workers=3"]),
    ("asyncio TASK_GROUP", 3, 20.9242, ["workload.model=asyncio", "workload.workers=3"]),
    ("threads SIMPLE", 2, 25.2479, ["workload.model=threads", "workload.workers=2"]),
    ("threads LOCKED_LIST", 2, 25.2679, ["workload.model=threads", "workload.workers=2"]),
    ("threads THREAD_POOL", 2, 25.2255,
     ["workload.model=threads", "workload.workers=2", "workload.distribution=chunks"]),
    ("threads THREAD_POOL", 3, 16.8516,
     ["workload.model=threads", "workload.workers=3", "workload.distribution=chunks"]),
    ("threads THREAD_POOL", 5, 10.0864,
     ["workload.model=threads", "workload.workers=5", "workload.distribution=chunks"]),
    ("processes SIMPLE", 3, 17.1390,
     ["workload.model=processes", "workload.workers=3", "workload.start_method=spawn"]),
    ("processes SIMPLE", 10, 5.4353,
     ["workload.model=processes", "workload.workers=10", "workload.start_method=spawn"]),
    ("processes SHARED", 3, 17.4743,
     ["workload.model=processes", "workload.workers=3", "workload.start_method=spawn",
      "workload.distribution=manager"]),
    ("processes PROCESS_POOL", 3, 17.3709,
     ["workload.model=processes", "workload.workers=3", "workload.start_method=spawn",
      "workload.distribution=manager"]),
    ("processes PROCESS_POOL", 5, 10.6335,
     ["workload.model=processes", "workload.workers=5", "workload.start_method=spawn",
      "workload.distribution=manager"]),
    ("processes PROCESS_POOL", 10, 5.7128,
     ["workload.model=processes", "workload.workers=10", "workload.start_method=spawn",
      "workload.distribution=manager"]),
    ("processes CHUNKS_IN_POOL", 10, 5.5582,
     ["workload.model=processes", "workload.workers=10", "workload.start_method=spawn"]),
]

SIZES = [100_000, 1_000_000, 10_000_000, 50_000_000, 100_000_000]
QUEUE_SIZES = 3  # the item-by-item threads table runs the first three sizes
# Seed seconds per size; None where the lesson gives no figure.
COMPARE_COLUMNS = [
    ("sync (original)", ["workload.model=sync"],
     [0.0571, 1.3509, 31.0216, 343.0948, None]),
    ("asyncio, 10 tasks", ["workload.model=asyncio", "workload.workers=10"],
     [0.3624, 3.7752, 58.4305, 554.2766, 1138.4652]),
    ("threads, 10", ["workload.model=threads", "workload.workers=10",
                     "workload.distribution=chunks"],
     [0.5326, 5.9180, 98.2302, 725.3965, 1547.9455]),
    ("processes, 10", ["workload.model=processes", "workload.workers=10"],
     [0.4711, 1.3738, 21.7587, 182.7984, 492.9215]),
    ("final (processes, simple func)", ["workload.model=processes", "workload.workers=10"],
     [0.4504, 0.8975, 10.1256, 135.4352, None]),
]


def simulate(gilsim, scenario, overrides):
    cmd = [gilsim, "run", str(scenario), "--json"]
    for o in overrides:
        cmd += ["--set", o]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def ratio(sim, seed):
    return f"{sim / seed:.2f}" if seed else "-"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gilsim", default=str(ROOT / "build/gilsim"))
    ap.add_argument("--out", default=str(ROOT / "results/lessons-primes.md"))
    args = ap.parse_args()

    started = time.monotonic()
    wall = 0.0
    lines = []
    lines.append("| runner | workers | seed (s) | simulated (s) | simulated / seed |")
    lines.append("| --- | ---: | ---: | ---: | ---: |")
    for name, workers, seed, sets in WAIT_ROWS:
        r = simulate(args.gilsim, WAIT, sets)
        wall += r["wall_s"]
        lines.append(f"| {name} | {workers} | {seed:.2f} | {r['makespan_s']:.2f} | "
                     f"{ratio(r['makespan_s'], seed)} |")
        print(f"{name} {workers}: {r['makespan_s']:.3f} s", file=sys.stderr)
    wait_table = "\n".join(lines)

    lines = ["| N | " + " | ".join(c[0] for c in COMPARE_COLUMNS) + " |",
             "| ---: | " + " | ".join("---" for _ in COMPARE_COLUMNS) + " |"]
    compare_wall = 0.0
    for i, n in enumerate(SIZES):
        cells = []
        for _, sets, seeds in COMPARE_COLUMNS:
            r = simulate(args.gilsim, COMPARE, sets + [f"workload.items.range=[1,{n}]"])
            compare_wall += r["wall_s"]
            seed = seeds[i]
            sim = r["makespan_s"]
            cells.append(f"{seed:.2f} / {sim:.2f} ({ratio(sim, seed)})" if seed
                         else f"- / {sim:.2f}")
            print(f"{n} {sets[0]}: {sim:.3f} s ({r['events']} events, {r['wall_s']:.3f} s)",
                  file=sys.stderr)
        lines.append(f"| {n:,} | " + " | ".join(cells) + " |")
    compare_table = "\n".join(lines)

    # The threads column again, the items handed out one by one from a queue.Queue: two events
    # per item, so only up to 10^7.
    lines = ["| N | seed (s) | simulated (s) | simulated / seed | events | wall (s) |",
             "| ---: | ---: | ---: | ---: | ---: | ---: |"]
    threads_seeds = next(c[2] for c in COMPARE_COLUMNS if c[0] == "threads, 10")
    queue_wall = 0.0
    for i, n in enumerate(SIZES[:QUEUE_SIZES]):
        r = simulate(args.gilsim, COMPARE, ["workload.model=threads", "workload.workers=10",
                                            "workload.distribution=queue",
                                            f"workload.items.range=[1,{n}]"])
        queue_wall += r["wall_s"]
        seed = threads_seeds[i]
        lines.append(f"| {n:,} | {seed:.2f} | {r['makespan_s']:.2f} | "
                     f"{ratio(r['makespan_s'], seed)} | {r['events']:,} | {r['wall_s']:.2f} |")
        print(f"{n} threads, queue: {r['makespan_s']:.3f} s ({r['events']} events, "
              f"{r['wall_s']:.3f} s)", file=sys.stderr)
    queue_table = "\n".join(lines)

    text = TEMPLATE.format(wait_table=wait_table, compare_table=compare_table,
                           wait_wall=wall, compare_wall=compare_wall,
                           queue_table=queue_table, queue_wall=queue_wall,
                           total=time.monotonic() - started)
    pathlib.Path(args.out).write_text(text)
    print(f"wrote {args.out}", file=sys.stderr)


TEMPLATE = open(pathlib.Path(__file__).with_name("lessons-primes.template.md")).read()

if __name__ == "__main__":
    main()
