"""ThreadPoolExecutor(4).map over 1000 items, each a prime test and a 1 ms wait: the pool's
bookkeeping, the GIL and the sleeps together (twin: executor_io.yaml)."""
import time
from concurrent.futures import ThreadPoolExecutor
from common import is_prime, timed

FIRST, ITEMS = 10_000_000, 1000


def task(n):
    is_prime(n)
    time.sleep(1e-3)


with timed():
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(task, range(FIRST, FIRST + ITEMS)))
