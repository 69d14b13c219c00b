"""Runs the top approaches of a `gilsim choose --json` ranking for real under this CPython, on a
smaller workload, and prints the real ranking beside the predicted one (docs/choose.md).

    python3.11 scenarios/choose/real_top3.py CHOOSE.json WORKLOAD [--cores N] [--top 3]
                                             [--items N] [--rounds 5]

WORKLOAD is one of primes_wait, primes_cpu, io_fanout (scenarios/choose/*.yaml); --items scales
it down (the real run takes the first N items; the ranking is the one choose made for the
whole workload, so compare orders, not times). Each approach runs in a fresh interpreter, as the
programs of scenarios/validation do, and times only its own work (common.timed). Run it on a
quiet machine: its figures are wall times. Each round runs every approach once, in turn (A B C
A B C ...), so that the host's drift touches them alike; the figure is the median over the
rounds, with the spread (max - min over the median).
"""
import argparse
import json
import os
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
VALIDATION = os.path.join(HERE, "..", "validation")

# Each workload's item, as the scenario writes it: is_prime(n), then a wait.
ITEMS = {
    "primes_wait": ("prime", 0.050, 1000),
    "primes_cpu": ("prime", 0.0, 100000),
    "io_fanout": ("busy50us", 0.100, 1000),
}

# One program per approach: it runs item(n) for n in 1..N and prints {"seconds": ...}.
PROGRAM = r'''
import asyncio, concurrent.futures as cf, math, multiprocessing as mp, queue, sys, threading, time
sys.path.insert(0, {validation!r})
from common import is_prime, timed
KIND, WAIT, N, APPROACH, W, C, K = ({kind!r}, {wait!r}, {items!r}, {approach!r}, {workers!r},
                                    {chunk!r}, {per_worker!r})

def work(n):
    if KIND == "prime":
        is_prime(n)
    else:  # 50 us of Python
        t = time.perf_counter() + 50e-6
        while time.perf_counter() < t:
            pass

def item(n):
    work(n)
    if WAIT:
        time.sleep(WAIT)

def items(first, last):
    for n in range(first, last + 1):
        item(n)

async def task(q):
    while True:
        try:
            n = q.get_nowait()
        except asyncio.QueueEmpty:
            return
        work(n)
        if WAIT:
            await asyncio.sleep(WAIT)

async def loop(first, last, tasks):
    q = asyncio.Queue()
    for n in range(first, last + 1):
        q.put_nowait(n)
    await asyncio.gather(*(task(q) for _ in range(tasks)))

def loop_over(first, last, tasks):
    asyncio.run(loop(first, last, tasks))

def worker(q):
    while True:
        n = q.get()
        if n is None:
            return
        item(n)

def threads_over(first, last, workers):
    q = queue.Queue()
    for n in range(first, last + 1):
        q.put(n)
    ts = [threading.Thread(target=worker, args=(q,)) for _ in range(workers)]
    for t in ts:
        q.put(None)
        t.start()
    for t in ts:
        t.join()

def run():
    family = APPROACH.split()[0]
    method = APPROACH.split()[-1]
    if APPROACH in ("sync", "cooperative"):
        items(1, N)
    elif APPROACH == "asyncio":
        loop_over(1, N, W)
    elif APPROACH.startswith("threads"):
        threads_over(1, N, W)
    elif APPROACH.startswith("ThreadPoolExecutor"):
        with cf.ThreadPoolExecutor(W) as ex:
            list(ex.map(item, range(1, N + 1)))
    elif family == "processes":
        ctx = mp.get_context(method)
        per, extra = divmod(N, W)
        ps, first = [], 1
        for i in range(W):
            last = first + per + (1 if i < extra else 0) - 1
            # processes of threads or of event loops: the child runs its slice so
            if "of threads" in APPROACH:
                ps.append(ctx.Process(target=threads_over, args=(first, last, K)))
            elif "of event loops" in APPROACH:
                ps.append(ctx.Process(target=loop_over, args=(first, last, K)))
            else:
                ps.append(ctx.Process(target=items, args=(first, last)))
            first = last + 1
        for p in ps:
            p.start()
        for p in ps:
            p.join()
    elif family == "Pool":
        with mp.get_context(method).Pool(W) as pool:
            pool.map(item, range(1, N + 1), chunksize=C)
    elif family == "ProcessPoolExecutor":
        with cf.ProcessPoolExecutor(W, mp_context=mp.get_context(method)) as ex:
            list(ex.map(item, range(1, N + 1), chunksize=C))
    else:
        raise SystemExit("no real program for " + APPROACH)

if __name__ == "__main__":
    with timed():
        run()
'''


def real_seconds(kind, wait, items, row):
    src = PROGRAM.format(validation=VALIDATION, kind=kind, wait=wait, items=items,
                         approach=row["approach"], workers=max(1, row["workers"]),
                         chunk=max(1, row["chunksize"]), per_worker=row.get("per_worker", 0))
    out = subprocess.run([sys.executable, "-c", src], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])["seconds"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("ranking")
    ap.add_argument("workload", choices=sorted(ITEMS))
    ap.add_argument("--cores", type=int, default=os.cpu_count())
    ap.add_argument("--top", type=int, default=3)
    ap.add_argument("--items", type=int, default=0)
    ap.add_argument("--rounds", type=int, default=5)
    a = ap.parse_args()
    kind, wait, n = ITEMS[a.workload]
    n = a.items or n
    j = json.load(open(a.ranking))
    ranking = next(r for r in j["rankings"] if r["cores"] == a.cores)
    rows = [w for w in ranking["rows"] if w["approach"] != "ThreadPoolExecutor, free-threaded"]
    rows = rows[: a.top]
    runs = [[] for _ in rows]
    for _ in range(max(1, a.rounds)):
        for k, w in enumerate(rows):
            runs[k].append(real_seconds(kind, wait, n, w))
    timed = [(statistics.median(r), (max(r) - min(r)) / statistics.median(r), w)
             for r, w in zip(runs, rows)]
    real_rank = {id(w): k + 1 for k, (_, _, w) in enumerate(sorted(timed, key=lambda t: t[0]))}
    print(f"| predicted # | approach | workers | chunksize | predicted | real ({n} items, median "
          f"of {max(1, a.rounds)}) | spread | real # |")
    print("|---|---|---|---|---|---|---|---|")
    for s, spread, w in timed:
        workers = (f"{w['workers']} x {w['per_worker']}" if w.get("per_worker")
                   else w["workers"] or "-")
        print(f"| {w['rank']} | {w['approach']} | {workers} | {w['chunksize'] or '-'} "
              f"| {w['makespan_s']:.4g} s | {s:.4g} s | {spread * 100:.0f}% | "
              f"{real_rank[id(w)]} |")


if __name__ == "__main__":
    main()
