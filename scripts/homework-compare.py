#!/usr/bin/env python3
"""gilsim against the OSTEP homework's multi.py and mlfq.py on a spread of generated inputs.

usage:
  scripts/homework-compare.py HOMEWORK_DIR [--gilsim BIN] [--record FILE] [--python PY]
                              [--seed S] [--wide N]
  scripts/homework-compare.py --check FILE [--gilsim BIN]

HOMEWORK_DIR is a checkout of github.com/remzi-arpacidusseau/ostep-homework (not shipped
here). The first form makes the cases (from seed S, 13 by default, so always the same ones:
60 multi.py cases, 100 mlfq.py cases, then N wider multi.py cases, 300 by default), runs each under
the homework simulator and under gilsim, and prints both results side by side; --record writes
the cases with the homework's own results to FILE. The second form, which the test suite runs,
reads such a FILE and runs gilsim only: every case recorded as `same` must still give the
homework's numbers, and the ones recorded as differing are listed with their reason.

multi.py cases: -L jobs (run time, working set), -n CPUs, -q quantum, -w warm-up, -r warm rate,
-M cache size, -p per-CPU queues, -P peek interval, -A affinity, -s seed. gilsim runs them as rr
with `aligned: true` (multi.py's quanta end on its clock's multiples) on a machine of 1 ms
`tick` (multi.py's whole ticks), `queues: per_core` for -p, `steal_every` for -P with
`steal_from: multi_py` (its peek, from the scenario's `seed`, -s), machine.cache for
-M/-w/-r, each job a native thread with its working_set and affinity; compared: the finish
time and each CPU's utilization and warm share. (-o, CPUs in random order, is not modelled.)
mlfq.py cases: -l jobs (start, run time, I/O frequency), -n levels, -q quantum, -a allotment,
-B boost, -i I/O time, -S, -I, run through `gilsim jobs --policy mlfq`; compared: each job's
response and turnaround.
"""
import json
import os
import random
import re
import shlex
import subprocess
import sys
import tempfile


# ---- the cases

def multi_jobs(rng, counts, runs, sets):
    """A multi.py job list drawn from rng: (name, run time, working set), names a, b, c, ..."""
    return [(chr(ord("a") + j), rng.randrange(*runs), rng.randrange(*sets))
            for j in range(rng.randint(*counts))]


def job_list(jobs):
    return ["-L", ",".join(f"{n}:{r}:{w}" for n, r, w in jobs)]


def multi_cases(rng, count):
    out = []
    for _ in range(count):
        cpus = rng.choice([1, 2, 2, 2, 3, 4])
        jobs = multi_jobs(rng, (2, 6), (10, 110, 10), (0, 210, 10))
        args = job_list(jobs) + ["-n", str(cpus),
                "-q", str(rng.choice([5, 10, 20])), "-w", str(rng.choice([5, 10, 10, 20])),
                "-r", str(rng.choice([2, 2, 3])), "-M", str(rng.choice([50, 100, 100, 200]))]
        if rng.random() < 0.5:
            # Peeks pick a random other CPU in multi.py: only with 2 CPUs is that one choice.
            args += ["-p", "-P", str(rng.choice([0, 10, 30]) if cpus == 2 else 0)]
        if cpus > 1 and rng.random() < 0.4:
            aff = []
            for n, _, _ in jobs:
                if rng.random() < 0.4:
                    k = rng.randint(1, cpus - 1)
                    aff.append(n + ":" + ".".join(str(c) for c in sorted(rng.sample(range(cpus), k))))
            if aff:
                args += ["-A", ",".join(aff)]
        out.append(("multi", args))
    return out


def multi_cases_wide(rng, count):
    """Wider multi.py inputs than multi_cases: up to 8 jobs and 4 CPUs, quanta 1..25, warm-ups
    0..25, rates 1..4, caches 0..300, working sets and run times of any 5 (0 too), peeks at any
    CPU count (the random other CPU drawn from multi.py's own seed, -s), affinities."""
    out = []
    for _ in range(count):
        cpus = rng.choice([1, 2, 2, 3, 3, 4])
        jobs = multi_jobs(rng, (1, 8), (0, 130, 5), (0, 250, 5))
        args = job_list(jobs) + ["-n", str(cpus),
                "-q", str(rng.choice([1, 3, 5, 10, 15, 25])),
                "-w", str(rng.choice([0, 1, 5, 10, 25])),
                "-r", str(rng.choice([1, 2, 3, 4])), "-M", str(rng.choice([0, 50, 100, 150, 300])),
                "-s", str(rng.randrange(0, 1000))]
        if rng.random() < 0.6:
            # One CPU has no other CPU to peek at: multi.py fails there, so no peeks.
            args += ["-p", "-P", str(rng.choice([0, 1, 7, 10, 30]) if cpus > 1 else 0)]
        if cpus > 1 and rng.random() < 0.5:
            aff = []
            for n, _, _ in jobs:
                if rng.random() < 0.5:
                    k = rng.randint(1, cpus)
                    aff.append(n + ":" + ".".join(str(c) for c in sorted(rng.sample(range(cpus), k))))
            if aff:
                args += ["-A", ",".join(aff)]
        out.append(("multi", args))
    return out


def mlfq_cases(rng, count):
    out = []
    for _ in range(count):
        jobs = []
        for _ in range(rng.randint(2, 4)):
            start = rng.choice([0, 0, 0, rng.randrange(0, 50)])
            jobs.append((start, rng.randint(5, 80), rng.choice([0, 0, rng.randint(2, 12)])))
        args = ["-l", ":".join(f"{s},{r},{i}" for s, r, i in jobs),
                "-n", str(rng.choice([1, 2, 3, 4])), "-q", str(rng.choice([1, 2, 5, 10])),
                "-a", str(rng.choice([1, 1, 2, 3])), "-B", str(rng.choice([0, 0, 25, 50, 100])),
                "-i", str(rng.choice([1, 3, 5, 10]))]
        if rng.random() < 0.35:
            args.append("-S")
        if rng.random() < 0.35:
            args.append("-I")
        out.append(("mlfq", args))
    return out


def options(args, flags):
    """{option: value} of a homework argument list; flags take no value."""
    got, i = {}, 0
    while i < len(args):
        if args[i] in flags:
            got[args[i]] = True
            i += 1
        else:
            got[args[i]] = args[i + 1]
            i += 2
    return got


# ---- the homework's results and gilsim's, as one comparable text each

def homework(hw, python, kind, args):
    script = {"multi": "cpu-sched-multi/multi.py", "mlfq": "cpu-sched-mlfq/mlfq.py"}[kind]
    text = subprocess.run([python, os.path.join(hw, script)] + args + ["-c"], check=True,
                          capture_output=True, text=True, timeout=60).stdout
    if kind == "multi":
        fin = re.search(r"Finished time (\d+)", text).group(1)
        cpus = re.findall(r"CPU (\d+)\s+utilization\s+([\d.]+) \[ warm\s+([\d.]+) \]", text)
        return f"finished {fin}; " + "; ".join(f"cpu{c} {u}/{w}" for c, u, w in cpus)
    jobs = re.findall(r"Job\s+\d+: startTime\s+\d+ - response\s+(\d+) - turnaround\s+(\d+)", text)
    return "; ".join(f"{r}/{t}" for r, t in jobs)


def multi_yaml(args):
    o = options(args, {"-p", "-c"})
    cpus = int(o.get("-n", 2))
    aff = {}
    for entry in filter(None, o.get("-A", "").split(",")):
        name, cores = entry.split(":")
        aff[name] = [int(c) for c in cores.split(".")]
    threads = []
    for entry in o["-L"].split(","):
        name, run, ws = entry.split(":")
        a = f", affinity: {aff[name]}" if name in aff else ""
        # A job of no work still takes a tick in multi.py; gilsim's phases take some work: 1 ns,
        # which the whole tick rounds up to the same tick (and to 0 ticks of length).
        cpu = f"{run}ms" if int(run) > 0 else "1ns"
        threads.append(f"      - {{name: {name}, working_set: {ws}{a}, program: [{{cpu: {cpu}}}]}}")
    queues = "per_core" if "-p" in o else "shared"
    return "\n".join([
        f"seed: {o.get('-s', 0)}",
        "machine:",
        f"  cores: {cpus}",
        "  context_switch: 0",
        "  wakeup_latency: 0",
        "  tick: 1ms",
        f"  cache: {{size: {o.get('-M', 100)}, warmup: {o.get('-w', 10)}ms, "
        f"warm_speedup: {o.get('-r', 2)}}}",
        f"scheduler: {{policy: rr, quantum: {o.get('-q', 10)}ms, aligned: true, queues: {queues}, "
        f"steal_every: {o.get('-P', 30)}ms, steal_from: multi_py}}",
        "processes:",
        "  - name: p",
        "    runtime: native",
        "    threads:",
    ] + threads) + "\n"


def mlfq_command(gilsim, args):
    o = options(args, {"-S", "-I", "-c"})
    jobs = []
    for entry in o["-l"].split(":"):
        start, run, io = entry.split(",")
        jobs.append(f"{start}:{run}" + (f":io-every-{io}" if int(io) > 0 else ""))
    cmd = [gilsim, "jobs", ",".join(jobs), "--policy", "mlfq", "--quantum", o.get("-q", "10"),
           "--io-time", o.get("-i", "5"), "--json",
           "--set", f"scheduler.levels={o.get('-n', 3)}",
           "--set", f"scheduler.allotment={o.get('-a', 1)}",
           "--set", f"scheduler.boost={o.get('-B', 0)}ms"]
    if "-S" in o:
        cmd += ["--set", "scheduler.io_keeps_level=true"]
    if "-I" in o:
        cmd += ["--set", "scheduler.io_to_front=true"]
    return cmd


def ms(seconds):
    v = seconds * 1000
    return str(round(v)) if abs(v - round(v)) < 1e-6 else f"{v:.3f}"


def gilsim_result(gilsim, kind, args):
    if kind == "mlfq":
        r = json.loads(subprocess.run(mlfq_command(gilsim, args), check=True,
                                      capture_output=True, text=True).stdout)
        return "; ".join(f"{ms(t['response_s'])}/{ms(t['turnaround_s'])}" for t in r["threads"])
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as f:
        f.write(multi_yaml(args))
    try:
        r = json.loads(subprocess.run([gilsim, "run", f.name, "--json"], check=True,
                                      capture_output=True, text=True).stdout)
    finally:
        os.unlink(f.name)
    span = r["makespan_s"]

    def share(s):
        # As multi.py prints it: 100.0 * ticks / ticks, from the whole ms (1 ms ticks), so that a
        # half hundredth rounds as there (53.125 to 53.12).
        return f"{100.0 * float(round(s * 1000)) / float(round(span * 1000)):.2f}"
    cpus = [f"cpu{c['id']} {share(c['busy_s'])}/{share(c['warm_s'])}" for c in r["cores"]]
    return f"finished {ms(span)}; " + "; ".join(cpus)


# ---- the two forms

def generated(seed, wide):
    """The cases: with seed 13 and wide 0, the first 160 of the recorded file; wide > 0 adds that
    many of the wider multi.py cases, drawn from seed + 1."""
    rng = random.Random(seed)
    return multi_cases(rng, 60) + mlfq_cases(rng, 100) + multi_cases_wide(
        random.Random(seed + 1), wide)


def record(hw, gilsim, python, path, seed, wide):
    cases = generated(seed, wide)
    rows = []
    same = 0
    for kind, args in cases:
        want = homework(hw, python, kind, args)
        got = gilsim_result(gilsim, kind, args)
        verdict = "same" if want == got else "differs"
        same += want == got
        rows.append(f"{kind}\t{shlex.join(args)}\t{want}\t{verdict}")
        print(f"{verdict:8} {kind} {shlex.join(args)}\n         homework {want}\n"
              f"         gilsim   {got}")
    print(f"\n{same} of {len(cases)} cases give the homework's numbers")
    if path:
        with open(path, "w") as f:
            f.write("# kind, homework arguments, the homework's result, whether gilsim gave it\n")
            f.write("# (scripts/homework-compare.py HOMEWORK_DIR --record writes this file)\n")
            f.write("\n".join(rows) + "\n")


def check(gilsim, path):
    bad, same, differs = 0, 0, 0
    for line in open(path):
        if line.startswith("#") or not line.strip():
            continue
        kind, args, want, verdict = line.rstrip("\n").split("\t")
        got = gilsim_result(gilsim, kind, shlex.split(args))
        if verdict == "same":
            same += 1
            if got != want:
                bad += 1
                print(f"MISMATCH {kind} {args}\n  homework {want}\n  gilsim   {got}")
        else:
            differs += 1
            print(f"known difference: {kind} {args}\n  homework {want}\n  gilsim   {got}")
    print(f"{same - bad} of {same} recorded equal cases still equal; {differs} known differences")
    return 1 if bad else 0


def main():
    argv = sys.argv[1:]
    opts = {"--gilsim": "build/gilsim", "--python": "python3", "--record": "", "--check": "",
            "--seed": "13", "--wide": "300"}
    rest = []
    while argv:
        a = argv.pop(0)
        if a in opts:
            opts[a] = argv.pop(0)
        else:
            rest.append(a)
    if opts["--check"]:
        sys.exit(check(opts["--gilsim"], opts["--check"]))
    if len(rest) != 1:
        sys.exit(__doc__)
    record(rest[0], opts["--gilsim"], opts["--python"], opts["--record"], int(opts["--seed"]),
           int(opts["--wide"]))


if __name__ == "__main__":
    main()
