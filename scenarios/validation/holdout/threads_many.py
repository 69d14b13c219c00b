"""8 threads take 2,000 numbers from 1,000,000 off a queue.Queue, test each and block 500 us
(time.sleep standing for I/O): more threads than cores, short waits (twin: threads_many.yaml)."""
import queue
import threading
import time
from common import is_prime, timed

FIRST, ITEMS, THREADS = 1_000_000, 2000, 8


def worker(q):
    while True:
        try:
            n = q.get_nowait()
        except queue.Empty:
            return
        is_prime(n)
        time.sleep(500e-6)


with timed():
    q = queue.Queue()
    for n in range(FIRST, FIRST + ITEMS):
        q.put(n)
    threads = [threading.Thread(target=worker, args=(q,)) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
