#!/usr/bin/env python3
"""The real program behind scenarios/whatif/convoy_k.yaml: an I/O thread does N short blocking I/Os (a 1 ms
sleep, which releases the GIL, after a little Python) beside K CPU-bound threads, under the
GIL's switch interval (5 ms). It prints how many whole switch intervals each I/O waited for the
GIL after its I/O ended (the distribution, in % of the I/Os), the mean, and the wall time.

    python3 convoy_k.py K [--rounds 300] [--io-ms 1] [--interval-ms 5]

Run it on a quiet machine (nothing else busy), pinned to the cores being compared, e.g.
`taskset -c 0,1 python3 convoy_k.py 3` for 2 cores, several times for each K. The simulated
rounds have 50 us of Python (scenarios/whatif/convoy_k.yaml): pick --loops so that the printed Python time per
round matches, or simulate the printed time (docs/model.md section 3 shows how much it matters).
"""
import argparse
import sys
import threading
import time


def spin(stop):
    n = 0
    while not stop.is_set():
        n += 1  # pure Python: holds the GIL, checks the eval breaker at every back edge


def python_work(loops):
    s = 0
    for i in range(loops):
        s += i
    return s


def io_thread(rounds, io_s, loops, waits, work):
    for _ in range(rounds):
        w0 = time.perf_counter()
        python_work(loops)
        t0 = time.perf_counter()
        work.append(t0 - w0)
        time.sleep(io_s)  # drops the GIL; the clock read after it needs the GIL again
        waits.append(time.perf_counter() - t0 - io_s)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("k", type=int, help="CPU-bound threads beside the I/O thread")
    ap.add_argument("--rounds", type=int, default=300)
    ap.add_argument("--io-ms", type=float, default=1.0)
    ap.add_argument("--interval-ms", type=float, default=5.0)
    ap.add_argument("--loops", type=int, default=500, help="Python loop turns per round (~50 us)")
    a = ap.parse_args()
    sys.setswitchinterval(a.interval_ms / 1000)
    stop = threading.Event()
    spinners = [threading.Thread(target=spin, args=(stop,), daemon=True) for _ in range(a.k)]
    waits, work = [], []
    start = time.perf_counter()
    for s in spinners:
        s.start()
    io = threading.Thread(target=io_thread, args=(a.rounds, a.io_ms / 1000, a.loops, waits, work))
    io.start()
    io.join()
    wall = time.perf_counter() - start
    stop.set()
    for s in spinners:
        s.join()
    interval = a.interval_ms / 1000
    bins = [0] * 6
    for w in waits:
        bins[min(5, max(0, round(w / interval)))] += 1
    shares = [100.0 * b / len(waits) for b in bins]
    waited = len(waits) - bins[0]
    print(f"python {sys.version.split()[0]}, K = {a.k}, {a.rounds} I/Os of {a.io_ms} ms, "
          f"interval {a.interval_ms} ms")
    print("waits 0/1/2/3/4/5+ intervals (%): " + "/".join(f"{s:.0f}" for s in shares))
    print(f"mean wait: {sum(waits) / len(waits) / interval:.2f} intervals "
          f"({1000 * sum(waits) / len(waits):.2f} ms)")
    print(f"first interval won: {100.0 * bins[1] / max(1, waited):.0f}% of the I/Os that waited")
    print(f"Python per round (median): {1e6 * sorted(work)[len(work) // 2]:.0f} us "
          "(the scenario's cpu step; set --loops to match it)")
    print(f"wall time: {wall:.3f} s")


if __name__ == "__main__":
    main()
