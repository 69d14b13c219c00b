#!/usr/bin/env python3
"""gilsim's CPU time beside the OSTEP homework simulators' on their larger inputs.

usage: bench/textbook_bench.py HOMEWORK_DIR [GILSIM_BINARY] [PYTHON]

HOMEWORK_DIR is a checkout of github.com/remzi-arpacidusseau/ostep-homework (not shipped
here). Each case runs the homework script with -c (it prints its whole trace, which is part of
its cost; its output goes to a pipe) and the same jobs under gilsim, and prints the CPU time of
each (user + system of the child, from getrusage), their ratio, and both programs' answer
(average turnaround, or multi.py's finish time) so that one sees they computed the same
schedule. Each command runs three times, interleaved, and the median counts. The load average
is printed before and after: run it on a quiet machine.
"""
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scripts"))
homework_compare = __import__("homework-compare")


def cpu_of(cmd):
    """Runs cmd; returns (its stdout, the CPU seconds it used)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return out, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def answer(text):
    m = re.search(r'"makespan_s":\s*([\d.]+)', text)  # gilsim run --json: in ms, as multi.py
    if m:
        return f"{float(m.group(1)) * 1000:g}"
    for pattern in (r"Average -- Response: [\d.]+\s+Turnaround ([\d.]+)",
                    r"Avg.*turnaround ([\d.]+)", r"Finished time (\d+)"):
        m = re.search(pattern, text)
        if m:
            return m.group(1)
    return "-"


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    hw = sys.argv[1]
    gilsim = sys.argv[2] if len(sys.argv) > 2 else "build/gilsim"
    python = sys.argv[3] if len(sys.argv) > 3 else "python3"
    lengths = ",".join(str(10000 * k) for k in range(1, 11))  # 550,000 ticks in all
    multi_jobs = ",".join(f"j{k}:{20000 + 5000 * (k % 7)}:{20 * (k % 6)}" for k in range(16))
    multi_args = ["-n", "4", "-L", multi_jobs, "-q", "10", "-M", "100"]
    tmp = tempfile.mkdtemp()
    scenarios = {}
    for name, extra in (("shared", []), ("per_core", ["-p", "-P", "0"])):
        path = os.path.join(tmp, f"multi_{name}.yaml")
        with open(path, "w") as f:
            f.write(homework_compare.multi_yaml(multi_args + extra))
        scenarios[name] = path
    cases = [
        ("rr, quantum 1, 10 jobs of 10000..100000",
         [python, f"{hw}/cpu-sched/scheduler.py", "-p", "RR", "-q", "1", "-l", lengths, "-c"],
         [gilsim, "jobs", lengths, "--policy", "rr", "--quantum", "1"]),
        ("mlfq, 3 levels, q 10, 3 x 200000 (one doing I/O every 7)",
         [python, f"{hw}/cpu-sched-mlfq/mlfq.py", "-n", "3", "-q", "10", "-i", "5", "-l",
          "0,200000,0:0,200000,7:0,200000,0", "-c"],
         [gilsim, "jobs", "0:200000,0:200000:io-every-7,0:200000", "--policy", "mlfq",
          "--quantum", "10", "--io-time", "5", "--set", "scheduler.levels=3"]),
        ("lottery, quantum 1, 3 x 20000 with 100/50/250 tickets",
         [python, f"{hw}/cpu-sched-lottery/lottery.py", "-q", "1", "-l",
          "20000:100,20000:50,20000:250", "-c"],
         [gilsim, "jobs", "20000:tickets-100,20000:tickets-50,20000:tickets-250", "--policy",
          "lottery", "--quantum", "1"]),
        ("multi, 4 CPUs, 16 jobs of 20000..50000, one queue, caches",
         [python, f"{hw}/cpu-sched-multi/multi.py"] + multi_args + ["-c"],
         [gilsim, "run", scenarios["shared"], "--json"]),
        ("multi, 4 CPUs, the same 16 jobs, a queue per CPU",
         [python, f"{hw}/cpu-sched-multi/multi.py"] + multi_args + ["-p", "-P", "0", "-c"],
         [gilsim, "run", scenarios["per_core"], "--json"]),
    ]
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    starts = [cpu_of([gilsim, "jobs", "1"])[1] for _ in range(3)]
    print(f"gilsim's start-up alone (gilsim jobs 1): {statistics.median(starts):.3f} s of CPU, "
          "counted in every row")
    print(f"{'case':<58} {'homework s':>10} {'gilsim s':>9} {'ratio':>7}  answer hw / gilsim")
    for name, hw_cmd, g_cmd in cases:
        hw_runs, g_runs = [], []
        for _ in range(3):
            hw_out, t = cpu_of(hw_cmd)
            hw_runs.append(t)
            g_out, t = cpu_of(g_cmd)
            g_runs.append(t)
        hw_cpu, g_cpu = statistics.median(hw_runs), statistics.median(g_runs)
        ratio = hw_cpu / g_cpu if g_cpu > 0 else float("inf")
        g_answer = answer(g_out)
        print(f"{name:<58} {hw_cpu:>10.3f} {g_cpu:>9.3f} {ratio:>6.1f}x  "
              f"{answer(hw_out)} / {g_answer}")
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
