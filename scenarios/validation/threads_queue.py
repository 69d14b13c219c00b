"""threads: 4 workers take numbers from a shared queue.Queue, test each and then block 2 ms
(time.sleep standing for I/O); the GIL serialises the tests, the waits overlap
(twin: threads_queue.yaml)."""
import queue
import threading
import time
from common import is_prime, timed

FIRST, ITEMS, WORKERS = 10_000_000, 800, 4


def worker(q):
    while True:
        n = q.get()
        if n is None:
            return
        is_prime(n)
        time.sleep(2e-3)


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
