"""threads: 4 workers take numbers from a shared queue.Queue, test each and then block 2 ms
(time.sleep standing for I/O); the GIL serialises the tests, the waits overlap
(twin: threads_queue.yaml). Arguments, all optional: FIRST ITEMS WORKERS SLEEP_US."""
import queue
import threading
import time
from common import arg, is_prime, timed

FIRST, ITEMS, WORKERS, SLEEP = arg(1, 10_000_000), arg(2, 800), arg(3, 4), arg(4, 2000) * 1e-6


def worker(q):
    while True:
        n = q.get()
        if n is None:
            return
        is_prime(n)
        time.sleep(SLEEP)


with timed():
    q = queue.Queue()
    for n in range(FIRST, FIRST + ITEMS):
        q.put(n)
    for _ in range(WORKERS):
        q.put(None)
    threads = [threading.Thread(target=worker, args=(q,)) for _ in range(WORKERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
