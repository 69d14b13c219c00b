"""A threading.Lock under contention: 4 threads, each 100 times: test a large number, then hold
the lock for a 1 ms time.sleep (a critical section that blocks) (twin: lock_contention.yaml)."""
import threading
import time
from common import is_prime, timed

FIRST, ROUNDS, THREADS = 10_000_000, 100, 4
lock = threading.Lock()


def worker(k):
    for n in range(FIRST + k * ROUNDS, FIRST + (k + 1) * ROUNDS):
        is_prime(n)
        with lock:
            time.sleep(1e-3)


with timed():
    threads = [threading.Thread(target=worker, args=(k,)) for k in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
