"""gilsim's Python probe: times the costs of one Python interpreter with real micro-programs.

`gilsim calibrate --python PATH` runs `PATH probe.py SPEC` (the probe is built into gilsim and
written to a temporary file for the run). SPEC is a JSON object:
    {"runs": R, "scale": S, "prime": [[first, last, passes], ...], "reference": L}
R is how many times each figure is timed, S scales the number of operations per timing (1 in a
full calibration). L (optional) asks for speed marks: is_prime over [1, L] timed in CPU before
and after every block of CPU figures, so that the host's drift can be taken out of them.
Standard library only; runs under CPython 3.8 and later.

Output: one JSON object per line on stdout, flushed as it is known. The first is the provenance
    {"figure": "provenance", "implementation": "CPython", "version": "3.12.1",
     "interpreter": "3.12", "executable": "/usr/bin/python3.12"}
and every other line one figure with its R values in seconds (always per operation):
    {"figure": "queue_put", "runs": [2.1e-07, ...]}
    {"figure": "prime", "first": 1, "last": 16384, "primes": 1900, "runs": [...]}
    {"figure": "sleep", "requested": 0.0005, "runs": [...]}
    {"figure": "executor_pool.parent", "chunksize": 10, "runs": [...]}
A CPU figure timed with speed marks carries "speeds": for each run, the mean of the marks taken
just before and just after its block (for the prime ranges, its round). The last line gives
every mark:
    {"figure": "reference", "last": L, "runs": [...]}
What each figure is and how it is measured: docs/calibration.md.
"""
import asyncio
import concurrent.futures
import json
import math
import multiprocessing
import os
import platform
import queue
import resource
import sys
import threading
import time


# The seed's is_prime, word for word (sim/calib/calibrate_python.cpp).
def is_prime(n: int):
    if n in [2, 3]:
        return True
    elif n <= 1 or n % 2 == 0:
        return False
    else:
        factors = range(3, int(math.sqrt(n)) + 1, 2)
        for i in factors:
            if n % i == 0:
                return False
        return True


def count(first, last):
    primes = 0
    for n in range(first, last + 1):
        if is_prime(n):
            primes += 1
    return primes


def trivial(x):
    return x


def nothing():
    pass


def stamp(end):
    """A child's target: the time it returns (perf_counter is system-wide on Linux)."""
    end.value = time.perf_counter()


def emit(figure, runs, speed=None, **extra):
    """One figure's line; `speed` is the block's speed mark (one for all runs) or a list of one
    per run, or None when the figure was timed without marks."""
    line = {"figure": figure}
    line.update(extra)
    line["runs"] = runs
    if speed:
        line["speeds"] = speed if isinstance(speed, list) else [speed] * len(runs)
    print(json.dumps(line), flush=True)


def note(text):
    print("probe: " + text, file=sys.stderr, flush=True)


class Probe:
    def __init__(self, spec):
        self.runs = int(spec["runs"])
        self.scale = float(spec["scale"])
        self.spec = spec
        self.reference_last = int(spec.get("reference", 0))
        self.marks = []      # every speed mark, in order
        self.before = None   # the mark that opens the block being timed

    # ---- speed marks

    def mark(self):
        """The host's speed now: is_prime over [1, L] in CPU seconds (None without marks)."""
        if not self.reference_last:
            return None
        t0 = time.thread_time()
        count(1, self.reference_last)
        t = time.thread_time() - t0
        self.marks.append(t)
        return t

    def open_block(self):
        self.before = self.mark()

    def pace(self):
        """The speed over the block just timed (the mean of the marks either side of it); the
        closing mark opens the next block."""
        if self.before is None:
            return None
        after = self.mark()
        speed = (self.before + after) / 2
        self.before = after
        return speed

    def n(self, full):
        """Operations per timing: `full` in a full calibration, scaled, at least 2."""
        return max(2, int(full * self.scale))

    def repeat(self, one):
        return [one() for _ in range(self.runs)]

    # ---- the prime kernel

    def prime(self):
        ranges = self.spec["prime"]
        times = [[] for _ in ranges]
        answers = [0] * len(ranges)
        speeds = []
        # In rounds: every range once, then again, so a burst of load touches them all alike.
        for _ in range(self.runs):
            for k, (first, last, passes) in enumerate(ranges):
                t0 = time.thread_time()
                for _ in range(passes):
                    answers[k] = count(first, last)
                times[k].append((time.thread_time() - t0) / passes)
            speeds.append(self.pace())
        for k, (first, last, _) in enumerate(ranges):
            emit("prime", times[k], speeds if None not in speeds else None, first=first,
                 last=last, primes=answers[k])

    # ---- threading

    def thread_start_join(self):
        batch = self.n(200)
        starts, joins = [], []
        for _ in range(self.runs):
            threads = [threading.Thread(target=nothing) for _ in range(batch)]
            t0 = time.perf_counter()
            for t in threads:
                t.start()
            starts.append((time.perf_counter() - t0) / batch)
            while threading.active_count() > 1:  # every thread has finished
                time.sleep(0.001)
            t0 = time.perf_counter()
            for t in threads:
                t.join()
            joins.append((time.perf_counter() - t0) / batch)
        emit("thread_start", starts)
        emit("thread_join", joins)

    def queue_ops(self):
        n = self.n(50000)
        puts, gets = [], []
        for _ in range(self.runs):
            q = queue.Queue()
            t0 = time.thread_time()
            for i in range(n):
                q.put(i)
            puts.append((time.thread_time() - t0) / n)
            t0 = time.thread_time()
            for _ in range(n):
                q.get()
            gets.append((time.thread_time() - t0) / n)
        speed = self.pace()
        emit("queue_put", puts, speed)
        emit("queue_get", gets, speed)

    def thread_pool(self):
        """ThreadPoolExecutor().map over trivial calls, as programs write it (the default
        workers, min(32, cores + 4)). Every part of a call is Python work under the one GIL, so
        the map's wall time per call is the GIL's time per call; it is split between the
        submitting thread and the workers in the ratio of their CPU times (their sum overstates
        the GIL's time: both cores run off-GIL parts at once)."""
        n = self.n(5000)
        submits, workers = [], []
        for _ in range(self.runs):
            with concurrent.futures.ThreadPoolExecutor() as ex:
                list(ex.map(trivial, range(64)))  # the workers are started
                w0, p0, t0 = time.perf_counter(), time.process_time(), time.thread_time()
                list(ex.map(trivial, range(n)))
                wall = time.perf_counter() - w0
                mine = time.thread_time() - t0
                total = time.process_time() - p0
            share = min(1.0, mine / total) if total > 0 else 0.5
            submits.append(wall * share / n)
            workers.append(wall * (1 - share) / n)
        speed = self.pace()
        emit("executor_submit", submits, speed)
        emit("executor_worker", workers, speed)

    # ---- process pools

    def pool_costs(self, kind):
        """Parent and child CPU per task of c items, for c in 1, 10, 100 (fork)."""
        ctx = multiprocessing.get_context("fork")
        workers = 2

        def make():
            if kind == "executor_pool":
                return concurrent.futures.ProcessPoolExecutor(workers, mp_context=ctx)
            return ctx.Pool(workers)

        def close(pool):
            if kind == "executor_pool":
                pool.shutdown(wait=True)
            else:
                pool.close()
                pool.join()

        def children():
            r = resource.getrusage(resource.RUSAGE_CHILDREN)
            return r.ru_utime + r.ru_stime

        def one(chunksize, tasks):
            c0 = children()
            pool = make()
            list(pool.map(trivial, range(2 * workers), chunksize=1))  # started
            p0 = time.process_time()
            if tasks:
                list(pool.map(trivial, range(tasks * chunksize), chunksize=chunksize))
            parent = time.process_time() - p0
            close(pool)
            return parent, children() - c0

        for chunksize, full_tasks in ((1, 1500), (10, 600), (100, 200)):
            tasks = self.n(full_tasks)
            parents, childs = [], []
            for _ in range(self.runs):
                _, base = one(chunksize, 0)  # the workers' start, warm-up and exit
                parent, child = one(chunksize, tasks)
                parents.append(parent / tasks)
                childs.append(max(0.0, child - base) / tasks)
            speed = self.pace()
            emit(kind + ".parent", parents, speed, chunksize=chunksize)
            emit(kind + ".child", childs, speed, chunksize=chunksize)

    def worker_start(self):
        """Per start method: a pool of one worker until its first answer, minus a round trip."""
        for method in ("fork", "forkserver", "spawn"):
            try:
                ctx = multiprocessing.get_context(method)
            except ValueError:
                note(method + " is not available here")
                continue

            def one():
                t0 = time.perf_counter()
                pool = ctx.Pool(1)
                pool.apply(trivial, (0,))
                first = time.perf_counter() - t0
                t0 = time.perf_counter()
                pool.apply(trivial, (0,))
                trip = time.perf_counter() - t0
                pool.close()
                pool.join()
                return max(0.0, first - trip)

            one()  # warm-up: forkserver starts its server, imports are cached
            emit(method + "_start", self.repeat(one))

    def process_exit(self):
        """Per start method: a multiprocessing.Process's end as its parent sees it, from its
        target returning to the parent's join() returning (wall): the child's exit (a forked
        child's os._exit, a spawned child's whole interpreter finalisation) and the wake-up."""
        for method in ("fork", "forkserver", "spawn"):
            try:
                ctx = multiprocessing.get_context(method)
            except ValueError:
                continue
            end = ctx.Value("d", 0.0, lock=False)

            def one():
                p = ctx.Process(target=stamp, args=(end,))
                p.start()
                p.join()
                return max(0.0, time.perf_counter() - end.value)

            one()  # warm-up: forkserver starts its server
            emit(method + "_exit", self.repeat(one))

    def pool_shutdown(self):
        ctx = multiprocessing.get_context("fork")
        workers = 2

        def one():
            pool = ctx.Pool(workers)
            pool.map(trivial, range(2 * workers), chunksize=1)
            t0 = time.perf_counter()
            pool.close()
            pool.join()
            return (time.perf_counter() - t0) / workers

        emit("pool_shutdown", self.repeat(one))

    # ---- blocking

    def sleeps(self):
        for d in (50e-6, 100e-6, 200e-6, 500e-6, 1e-3, 2e-3, 5e-3, 10e-3):
            n = max(2, int(min(100, 0.05 / d) * self.scale))

            def one():
                t0 = time.perf_counter()
                for _ in range(n):
                    time.sleep(d)
                return (time.perf_counter() - t0) / n

            emit("sleep", self.repeat(one), requested=d)

    def asyncio_sleeps(self):
        """await asyncio.sleep(d) in a loop with one task: the selector waits in whole
        milliseconds (epoll), so the loop's timers overshoot unlike time.sleep."""
        for d in (50e-6, 100e-6, 200e-6, 500e-6, 1e-3, 2e-3, 5e-3, 10e-3):
            n = max(2, int(min(50, 0.05 / max(d, 1e-3)) * self.scale))

            async def sleeper():
                t0 = time.perf_counter()
                for _ in range(n):
                    await asyncio.sleep(d)
                return (time.perf_counter() - t0) / n

            emit("asyncio_sleep", self.repeat(lambda: asyncio.run(sleeper())), requested=d)

    def gil_handoff(self):
        """Two threads take turns through two locks: each turn wakes the blocked other thread,
        which then needs the GIL the waker drops when it blocks in turn."""
        n = self.n(5000)

        def one():
            ping, pong = threading.Lock(), threading.Lock()
            ping.acquire()
            pong.acquire()

            def other():
                for _ in range(n):
                    ping.acquire()
                    pong.release()

            t = threading.Thread(target=other)
            t.start()
            t0 = time.perf_counter()
            for _ in range(n):
                ping.release()
                pong.acquire()
            elapsed = time.perf_counter() - t0
            t.join()
            return elapsed / (2 * n)

        emit("gil_handoff", self.repeat(one))

    # ---- asyncio

    def asyncio_costs(self):
        n = self.n(20000)

        async def stepper():
            for _ in range(n):
                await asyncio.sleep(0)

        async def soon():
            loop = asyncio.get_running_loop()
            done = loop.create_future()
            left = [n]

            def callback():
                left[0] -= 1
                if left[0] == 0:
                    done.set_result(None)

            t0 = time.thread_time()
            for _ in range(n):
                loop.call_soon(callback)
            await done
            return (time.thread_time() - t0) / n

        async def executor():
            loop = asyncio.get_running_loop()
            calls = self.n(1000)
            await loop.run_in_executor(None, nothing)  # the default executor is started
            t0 = time.perf_counter()
            for _ in range(calls):
                await loop.run_in_executor(None, nothing)
            return (time.perf_counter() - t0) / calls

        async def sleeper(k):
            for _ in range(k):
                await asyncio.sleep(1e-4)

        async def sleepers(tasks, k):
            await asyncio.gather(*(sleeper(k) for _ in range(tasks)))

        def sleeps():
            # 50 tasks looping on a short asyncio.sleep: the loop never idles for long, and
            # each cycle is a resumption, the timer's call_later, its firing and the wake-up
            tasks, k = 50, max(1, n // 50)
            t0 = time.thread_time()
            asyncio.run(sleepers(tasks, k))
            return (time.thread_time() - t0) / (tasks * k)

        def steps():
            t0 = time.thread_time()
            asyncio.run(stepper())
            return (time.thread_time() - t0) / n

        async def noop():
            pass

        def loop_run():
            # asyncio.run of a coroutine that returns at once: the loop's making (its selector
            # and self-pipe), the run, and its shutdown and closing
            t0 = time.thread_time()
            asyncio.run(noop())
            return time.thread_time() - t0

        async def queue_ops():
            q = asyncio.Queue()
            t0 = time.thread_time()
            for i in range(n):
                q.put_nowait(i)
            t1 = time.thread_time()
            for _ in range(n):
                q.get_nowait()
            return (t1 - t0) / n, (time.thread_time() - t1) / n

        emit("task_step", self.repeat(steps), self.pace())
        emit("sleep_await", self.repeat(sleeps), self.pace())
        emit("call_soon", self.repeat(lambda: asyncio.run(soon())), self.pace())
        emit("run_in_executor", self.repeat(lambda: asyncio.run(executor())))
        emit("asyncio_run", self.repeat(loop_run), self.pace())
        ops = self.repeat(lambda: asyncio.run(queue_ops()))
        speed = self.pace()
        emit("asyncio_queue_put", [put for put, _ in ops], speed)
        emit("asyncio_queue_get", [get for _, get in ops], speed)


def main():
    spec = json.loads(sys.argv[1])
    version = platform.python_version_tuple()
    print(json.dumps({"figure": "provenance",
                      "implementation": platform.python_implementation(),
                      "version": platform.python_version(),
                      "interpreter": "%s.%s" % (version[0], version[1]),
                      "executable": sys.executable or ""}), flush=True)
    probe = Probe(spec)
    steps = [("prime", probe.prime),
             ("threads", probe.thread_start_join),
             ("queue", probe.queue_ops),
             ("thread pool", probe.thread_pool),
             ("ProcessPoolExecutor", lambda: probe.pool_costs("executor_pool")),
             ("multiprocessing.Pool", lambda: probe.pool_costs("mp_pool")),
             ("pool shutdown", probe.pool_shutdown),
             ("process exit", probe.process_exit),
             ("worker start", probe.worker_start),
             ("sleep", probe.sleeps),
             ("asyncio sleep", probe.asyncio_sleeps),
             ("GIL hand-off", probe.gil_handoff),
             ("asyncio", probe.asyncio_costs)]
    only = spec.get("only")
    for name, step in steps:
        if only is None or name in only:
            probe.open_block()
            step()
    if probe.marks:
        emit("reference", probe.marks, last=probe.reference_last)


if __name__ == "__main__":
    main()
