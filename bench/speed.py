#!/usr/bin/env python3
"""gilsim's speed where users feel it, every figure measured beside its yardstick in one run.

- Sweeps: a 1000-point sweep of the README's example (scenarios/examples/mixed.yaml, over
  machine.wakeup_latency = 1..1000 us) at -j 2, each point forked from the sweep (the default)
  against each point started afresh as its own gilsim (--exec), in turns: points per second of
  wall time and per CPU-second (the sweep and all its children).
- The engine: simulated events per second of the run itself (the report's events / wall_s) on
  the cases of issue 14: round robin over 200 jobs, the new GIL with 100 threads waiting, the old
  GIL with 2 CPU-bound threads, CFS with one thread on 256 cores, the lessons' item-by-item
  threads column (a thread walking the queue holding its GIL goes from item to item as a run
  alone, docs/semantics.md), and every policy with 1024 threads on 256 cores. Each against --no-lookahead (every event through SimGrid) in turns, and, with
  --base GILSIM, against another gilsim binary (an older build) in turns.
- Growth: the cost of a whole run (CPU and peak memory) as one axis grows, the others fixed:
  threads 1..4096 on 4 cores, cores 1..4096 with a thread each, simulated time 1..1000 s.
- One GIL at scale: 500, 1000, 2000 and 4096 CPU-bound threads on one new GIL, 50 slices each
  (250 ms of work at the 5 ms interval): the run's wall seconds, which should grow as the
  threads do (issue 15 measured 0.6 / 3.8 / 23 / 149 s for 500 / 1000 / 2000 / 4000 threads
  when a hand-off scanned every waiter).

Every ratio is taken pair by pair (A B A B ...) and the median of the pairs is given, so that a
drift of the machine's speed during the run moves both sides; the load average is printed before
and after each table. No timing here is a test: the figures are for results/performance.md.

    bench/speed.py [--gilsim build/gilsim] [--base OTHER_GILSIM [--base-name TEXT]] [--rounds 3]
                   [--quick] [--markdown] [--plots DIR [--plots-base DIR]]
    scripts/performance.sh  # all of it, into results/performance.md and its plots
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def load():
    return "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


def run_timed(argv):
    """Runs argv to its end; returns its wall seconds and its stdout."""
    t0 = time.monotonic()
    p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = p.communicate()
    wall = time.monotonic() - t0
    # communicate() reaped it; the children's times of this process grew by its own.
    if p.returncode != 0:
        sys.exit("bench: `{}` failed ({}): {}".format(" ".join(argv), p.returncode,
                                                       err.decode()[-2000:]))
    return wall, out


def children_cpu():
    r = os.times()
    return r.children_user + r.children_system


# ---- sweeps


def sweep_once(gilsim, points, extra):
    out = tempfile.mkdtemp(prefix="gilsim-bench-sweep-")
    try:
        argv = [gilsim, "sweep", os.path.join(ROOT, "scenarios/examples/mixed.yaml"), "--grid",
                "machine.wakeup_latency=1us..{}us".format(points), "-j", "2", "--out", out]
        cpu0 = children_cpu()
        wall, _ = run_timed(argv + extra)
        cpu = children_cpu() - cpu0
        with open(os.path.join(out, "results.csv")) as f:
            rows = f.read().splitlines()[1:]
        ok = sum(1 for r in rows if ",ok," in r)
        if ok != points:
            sys.exit("bench: the sweep gave {} ok points of {}".format(ok, points))
        return wall, cpu
    finally:
        shutil.rmtree(out, ignore_errors=True)


def sweep_table(gilsim, rounds, points):
    fork, exe, ratios = [], [], []
    before = load()
    for _ in range(rounds):
        f = sweep_once(gilsim, points, [])
        e = sweep_once(gilsim, points, ["--exec"])
        fork.append(f)
        exe.append(e)
        ratios.append(e[0] / f[0])
    after = load()
    med = lambda runs, k: statistics.median(r[k] for r in runs)
    rows = []
    for name, runs in (("forked (default)", fork), ("--exec", exe)):
        wall, cpu = med(runs, 0), med(runs, 1)
        rows.append((name, "{:.2f}".format(wall), "{:.0f}".format(points / wall),
                     "{:.0f}".format(points / cpu), "{:.2f}".format(cpu / points * 1000)))
    return {
        "title": "Sweeps: {} points of scenarios/examples/mixed.yaml at -j 2, median of {} "
                 "rounds".format(points, rounds),
        "head": ("points run", "wall s", "points/s", "points per CPU-s", "CPU ms per point"),
        "rows": rows,
        "notes": ["forked against --exec, pair by pair: {:.1f}x the points per second "
                  "(pairs {})".format(statistics.median(ratios),
                                       ", ".join("{:.1f}".format(r) for r in ratios)),
                  "load average before {}, after {}".format(before, after)],
    }


# ---- the engine


def rr_jobs(scale):
    y = ("machine: {cores: 1, context_switch: 0, wakeup_latency: 0}\n"
         "scheduler: {policy: rr, quantum: 1ms}\n"
         "processes:\n  - name: jobs\n    runtime: native\n    threads:\n")
    for i in range(200):
        y += "      - {{name: j{}, program: [{{cpu: {}ms}}]}}\n".format(
            i, (1 + (i * 7919 + 13) % 2000) * scale)
    return y


def python_threads(gil, threads, cores, cpu):
    return ("machine: {{cores: {}}}\nscheduler: {{policy: cfs}}\npython: {{gil: {}}}\n"
            "processes:\n  - name: py\n    runtime: python\n    threads:\n"
            "      - {{name: t, count: {}, program: [{{cpu: {}}}]}}\n").format(
                cores, gil, threads, cpu)


def one_thread(cores, cpu):
    return ("machine: {{cores: {}}}\nscheduler: {{policy: cfs}}\nprocesses:\n  - name: p\n"
            "    runtime: native\n    threads:\n"
            "      - {{name: w, program: [{{repeat: 200000, do: [{{cpu: {}}}, {{io: 1us}}]}}]}}\n"
            ).format(cores, cpu)


POLICIES = ("fifo", "sjf", "stcf", "rr", "priority", "mlfq", "cfs", "lottery", "stride", "ps")


def many_threads(policy, threads, cores):
    """Issue 14's "every policy at 1024 threads on 256 cores": each thread 200 rounds of 3 ms of
    CPU and 1 ms of I/O."""
    return ("machine: {{cores: {}}}\nscheduler: {{policy: {}}}\nprocesses:\n  - name: p\n"
            "    runtime: native\n    threads:\n"
            "      - {{name: w, count: {}, program: [{{repeat: 200, do: [{{cpu: 3ms}}, "
            "{{io: 1ms}}]}}]}}\n").format(cores, policy, threads)


def cases(quick):
    lessons = os.path.join(ROOT, "scenarios/lessons/primes_compare.yaml")
    items = 10**5 if quick else 10**6
    rr = 1 if quick else 10
    return [
        ("rr, 200 jobs at {}x ({} quanta)".format(rr, "190k" if quick else "1.9M"),
         ("text", rr_jobs(rr))),
        ("new GIL, 100 threads on 2 cores", ("text", python_threads("new", 100, 2, "2s"))),
        ("new GIL, 2 threads on 2 cores", ("text", python_threads("new", 2, 2, "20s"))),
        ("old GIL, 2 threads on 2 cores", ("text", python_threads("old", 2, 2,
                                                                   "1s" if quick else "2s"))),
        ("cfs, 1 thread on 256 cores", ("text", one_thread(256, "10us"))),
        ("lessons, threads item by item, 10^{}".format(len(str(items)) - 1),
         ("file", lessons, ["workload.model=threads", "workload.workers=10",
                            "workload.distribution=queue",
                            "workload.items.range=[1,{}]".format(items)])),
    ] + [("{}, {} threads on {} cores".format(p, 256 if quick else 1024, 64 if quick else 256),
          ("text", many_threads(p, 256 if quick else 1024, 64 if quick else 256)))
         for p in POLICIES]


def engine_run(gilsim, case, extra, scratch):
    if case[0] == "text":
        path = os.path.join(scratch, "case.yaml")
        with open(path, "w") as f:
            f.write(case[1])
        argv = [gilsim, "run", path, "--json", "--max-events", "1000000000"]
    else:
        argv = [gilsim, "run", case[1], "--json", "--max-events", "1000000000"]
        for s in case[2]:
            argv += ["--set", s]
    _, out = run_timed(argv + extra)
    r = json.loads(out)
    return r["events"], r["wall_s"], r["makespan_s"]


def engine_table(gilsim, base, base_name, rounds, quick):
    scratch = tempfile.mkdtemp(prefix="gilsim-bench-engine-")
    before = load()
    rows = []
    try:
        for name, case in cases(quick):
            mine, nolook, other, r_look, r_base = [], [], [], [], []
            for _ in range(rounds):
                a = engine_run(gilsim, case, [], scratch)
                b = engine_run(gilsim, case, ["--no-lookahead"], scratch)
                mine.append(a)
                nolook.append(b)
                r_look.append((a[0] / a[1]) / (b[0] / b[1]))
                if base:
                    c = engine_run(base, case, [], scratch)
                    other.append(c)
                    r_base.append((a[0] / a[1]) / (c[0] / c[1]))
            ev = mine[0][0]
            rate = statistics.median(e / w for e, w, _ in mine)
            sim_per_cpu = statistics.median(m / w for _, w, m in mine)
            row = [name, "{:.0f}".format(ev), "{:.2f}M".format(rate / 1e6),
                   "{:.0f}".format(sim_per_cpu), "{:.1f}x".format(statistics.median(r_look))]
            if base:
                row.append("{:.2f}x".format(statistics.median(r_base)))
                if other[0][0] != ev or abs(other[0][2] - mine[0][2]) > 1e-9 * max(1, mine[0][2]):
                    row[0] += " (differs from the base: {} events, makespan {})".format(
                        other[0][0], other[0][2])
            rows.append(tuple(row))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    head = ["case", "events", "events/s", "simulated s per s", "vs --no-lookahead"]
    if base:
        head.append("vs the base")
    return {
        "title": "The engine: events per second of the run (the report's events / wall_s), "
                 "median of {} rounds".format(rounds),
        "head": tuple(head),
        "rows": rows,
        "notes": ["ratios of events/s, pair by pair, medians; the base is {}".format(
            base_name or base if base else "not given (--base)"),
                  "load average before {}, after {}".format(before, load())],
    }


def gil_scale_table(gilsim, base, rounds):
    scratch = tempfile.mkdtemp(prefix="gilsim-bench-gil-")
    before = load()
    rows = []
    try:
        for n in (500, 1000, 2000, 4096):
            case = ("text", python_threads("new", n, 2, "250ms"))
            mine, other = [], []
            for _ in range(rounds):
                mine.append(engine_run(gilsim, case, [], scratch))
                if base:
                    other.append(engine_run(base, case, [], scratch))
            row = [str(n), "{:.0f}".format(mine[0][0]),
                   "{:.2f}".format(statistics.median(w for _, w, _ in mine)),
                   "{:.2f}M".format(statistics.median(e / w for e, w, _ in mine) / 1e6)]
            if base:
                row.append("{:.2f}".format(statistics.median(w for _, w, _ in other)))
            rows.append(tuple(row))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    head = ["threads", "events", "wall s", "events/s"]
    if base:
        head.append("wall s, the base")
    return {
        "title": "One new GIL at scale: N CPU-bound threads of 250 ms (50 slices each) on 2 "
                 "cores, median of {} rounds".format(rounds),
        "head": tuple(head),
        "rows": rows,
        "notes": ["wall s is the report's wall_s (the run, not the start-up)",
                  "load average before {}, after {}".format(before, load())],
    }


# ---- growth curves


def spread(cores, threads):
    return ("machine: {{cores: {}}}\nscheduler: {{policy: cfs}}\nprocesses:\n  - name: p\n"
            "    runtime: native\n    threads:\n"
            "      - {{name: w, count: {}, program: [{{repeat: 20, do: [{{cpu: 1ms}}, "
            "{{io: 1ms}}]}}]}}\n").format(cores, threads)


def growth_run(gilsim, text, scratch):
    """One whole run: (events, CPU seconds of the process, peak MiB), from the kernel's rusage."""
    path = os.path.join(scratch, "case.yaml")
    with open(path, "w") as f:
        f.write(text)
    p = subprocess.Popen([gilsim, "run", path, "--json", "--max-events", "1000000000"],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    out = p.stdout.read()
    _, status, ru = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        sys.exit("bench: a growth case failed ({}):\n{}".format(p.returncode, text))
    return json.loads(out)["events"], ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024.0


def growth_table(gilsim, rounds, quick):
    scratch = tempfile.mkdtemp(prefix="gilsim-bench-growth-")
    before = load()
    top = 1024 if quick else 4096
    axes = [("threads on 4 cores", n, spread(4, n)) for n in (1, 4, 16, 64, 256, 1024, 4096)
            if n <= top]
    axes += [("cores, a thread each", n, spread(n, n)) for n in (1, 4, 16, 64, 256, 1024, 4096)
             if n <= top]
    axes += [("simulated s, 2 threads on one GIL", t, python_threads("new", 2, 2, "{}s".format(t)))
             for t in (1, 10, 100, 1000) if t <= top]
    rows = []
    try:
        for axis, n, text in axes:
            runs = [growth_run(gilsim, text, scratch) for _ in range(rounds)]
            events = runs[0][0]
            cpu = statistics.median(c for _, c, _ in runs)
            rows.append((axis, str(n), str(events), "{:.3f}".format(cpu),
                         "{:.2f}M".format(events / cpu / 1e6), "{:.0f}".format(
                             max(m for _, _, m in runs))))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return {
        "title": "Growth: one axis at a time, whole runs, median CPU of {} rounds".format(rounds),
        "head": ("axis", "size", "events", "CPU s", "events per CPU-s", "peak MiB"),
        "rows": rows,
        "notes": ["threads and cores: each thread repeats 1 ms of CPU and 1 ms of I/O 20 times "
                  "under cfs; simulated s: two CPU-bound threads of that length on the new GIL",
                  "CPU s and peak MiB are the whole process's, start-up included (the smallest "
                  "rows are about that alone), from the kernel's accounting of the finished run",
                  "load average before {}, after {}".format(before, load())],
    }


def plot_growth(table, path):
    """Draws the growth table with gnuplot into the SVG at path: CPU seconds and peak MiB against
    each axis's size, log-log, one line per axis. Returns False when gnuplot is missing."""
    gnuplot = shutil.which("gnuplot")
    if not gnuplot:
        print("bench: gnuplot not found (Debian: gnuplot-nox); no plot drawn", file=sys.stderr)
        return False
    axes = []
    for axis, size, _events, cpu, _rate, mib in table["rows"]:
        if not axes or axes[-1][0] != axis:
            axes.append((axis, []))
        axes[-1][1].append((size, cpu, mib))
    # One data block per axis, separated by two blank lines (gnuplot's `index`).
    data = "\n\n\n".join("\n".join(" ".join(row) for row in rows) for _, rows in axes)
    lines = lambda col: ", ".join(
        "$d index {} using 1:{} with linespoints title '{}'".format(i, col, axis)
        for i, (axis, _) in enumerate(axes))
    script = "\n".join([
        "set terminal svg size 960,400 font 'sans,11'",
        "set output '{}'".format(path),
        "$d << EOD", data, "EOD",
        "set logscale xy", "set grid", "set key top left", "set xlabel 'size (threads, cores or simulated s)'",
        "set multiplot layout 1,2",
        "set title 'CPU seconds of the whole run'", "plot " + lines(2),
        "set title 'peak memory (MiB)'", "plot " + lines(3),
        "unset multiplot", ""])
    subprocess.run([gnuplot], input=script, text=True, check=True)
    return True


# ---- output


def print_text(t):
    print(t["title"])
    widths = [max(len(str(x)) for x in col) for col in zip(t["head"], *t["rows"])]
    for r in [t["head"]] + t["rows"]:
        print("  " + "  ".join(str(x).rjust(w) if i else str(x).ljust(w)
                               for i, (x, w) in enumerate(zip(r, widths))))
    for n in t["notes"]:
        print("  " + n)
    print()


def print_markdown(t):
    print("## " + t["title"])
    print()
    print("| " + " | ".join(t["head"]) + " |")
    print("|" + "|".join(["---"] + ["---:"] * (len(t["head"]) - 1)) + "|")
    for r in t["rows"]:
        print("| " + " | ".join(r) + " |")
    print()
    for n in t["notes"]:
        print("- " + n)
    print()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--gilsim", default=os.path.join(ROOT, "build/gilsim"))
    ap.add_argument("--base", help="another gilsim binary to compare the engine with")
    ap.add_argument("--base-name", help="how the tables name the base (its commit, say)")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--quick", action="store_true", help="smaller cases, 200-point sweeps (a "
                    "check that the script works, not figures)")
    ap.add_argument("--markdown", action="store_true")
    ap.add_argument("--only", choices=["sweep", "engine", "gil-scale", "growth"])
    ap.add_argument("--plots", help="a directory to draw the growth curves into (growth.svg, "
                    "with gnuplot)")
    ap.add_argument("--plots-base", help="the directory the Markdown's image links are relative "
                    "to (default: the current one)")
    a = ap.parse_args()
    gilsim = os.path.abspath(a.gilsim)
    base = os.path.abspath(a.base) if a.base else None
    show = print_markdown if a.markdown else print_text
    if a.markdown:
        print("# gilsim's speed\n")
        print("Regenerated by `bench/speed.py --markdown{}` on {}, {} cores ({}). Every ratio is "
              "taken pair by pair, the two sides run in turns, and the median of the pairs is "
              "given; the machine is shared, so read the load beside each table.\n".format(
                  " --base BASE" if base else "", time.strftime("%Y-%m-%d %H:%M UTC",
                                                               time.gmtime()),
                  os.cpu_count(), os.uname().machine))
    if a.only in (None, "sweep"):
        show(sweep_table(gilsim, a.rounds, 200 if a.quick else 1000))
        sys.stdout.flush()
    if a.only in (None, "engine"):
        show(engine_table(gilsim, base, a.base_name, a.rounds, a.quick))
        sys.stdout.flush()
    if a.only in (None, "gil-scale"):
        show(gil_scale_table(gilsim, base, 1 if a.quick else a.rounds))
        sys.stdout.flush()
    if a.only in (None, "growth"):
        table = growth_table(gilsim, 1 if a.quick else a.rounds, a.quick)
        if a.plots:
            os.makedirs(a.plots, exist_ok=True)
            svg = os.path.join(a.plots, "growth.svg")
            if plot_growth(table, os.path.abspath(svg)):
                table["notes"].append("plotted: ![growth]({})".format(
                    os.path.relpath(svg, a.plots_base or os.getcwd())))
        show(table)


if __name__ == "__main__":
    main()
