#!/usr/bin/env python3
"""gilsim's CPU time beside the OSTEP homework simulators' on their larger inputs.

usage: bench/textbook_bench.py HOMEWORK_DIR [GILSIM_BINARY] [PYTHON]

HOMEWORK_DIR is a checkout of github.com/remzi-arpacidusseau/ostep-homework (not shipped
here). Each case runs the homework script with -c (it prints its whole trace, which is part of
its cost; its output goes to /dev/null) and the same jobs under `gilsim jobs`, and prints the
CPU time of each (user + system of the child, from getrusage) and their ratio, with both
programs' average turnaround so that one sees they computed the same schedule. Timings are
the host's: run it on a quiet machine.
"""
import os
import re
import resource
import subprocess
import sys


def cpu_of(cmd):
    """Runs cmd; returns (its stdout, the CPU seconds it used)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return out, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def turnaround(text):
    m = re.search(r"Average -- Response: [\d.]+\s+Turnaround ([\d.]+)", text) or re.search(
        r"Avg.*turnaround ([\d.]+)", text)
    return m.group(1) if m else "-"


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    hw = sys.argv[1]
    gilsim = sys.argv[2] if len(sys.argv) > 2 else "build/gilsim"
    python = sys.argv[3] if len(sys.argv) > 3 else "python3"
    lengths = ",".join(str(1000 * k) for k in range(1, 11))  # 55,000 ticks in all
    cases = [
        ("rr, quantum 1, 10 jobs of 1000..10000",
         [python, f"{hw}/cpu-sched/scheduler.py", "-p", "RR", "-q", "1", "-l", lengths, "-c"],
         [gilsim, "jobs", lengths, "--policy", "rr", "--quantum", "1"]),
        ("mlfq, 3 levels, quantum 10, 3 x 20000 (one doing I/O every 7)",
         [python, f"{hw}/cpu-sched-mlfq/mlfq.py", "-n", "3", "-q", "10", "-i", "5", "-l",
          "0,20000,0:0,20000,7:0,20000,0", "-c"],
         [gilsim, "jobs", "0:20000,0:20000:io-every-7,0:20000", "--policy", "mlfq",
          "--quantum", "10", "--io-time", "5", "--set", "scheduler.levels=3"]),
        ("lottery, quantum 1, 3 x 20000 with 100/50/250 tickets",
         [python, f"{hw}/cpu-sched-lottery/lottery.py", "-q", "1", "-l",
          "20000:100,20000:50,20000:250", "-c"],
         [gilsim, "jobs", "20000:tickets-100,20000:tickets-50,20000:tickets-250", "--policy",
          "lottery", "--quantum", "1"]),
    ]
    _, start = cpu_of([gilsim, "jobs", "1"])
    print(f"gilsim's start-up alone (gilsim jobs 1): {start:.3f} s of CPU, counted in every row")
    print(f"{'case':<62} {'homework s':>10} {'gilsim s':>9} {'ratio':>7}  turnaround hw / gilsim")
    for name, hw_cmd, g_cmd in cases:
        hw_out, hw_cpu = cpu_of(hw_cmd)
        g_out, g_cpu = cpu_of(g_cmd)
        ratio = hw_cpu / g_cpu if g_cpu > 0 else float("inf")
        print(f"{name:<62} {hw_cpu:>10.3f} {g_cpu:>9.3f} {ratio:>6.1f}x  "
              f"{turnaround(hw_out)} / {turnaround(g_out)}")


if __name__ == "__main__":
    main()
