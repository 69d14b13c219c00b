"""ThreadPoolExecutor() with its default workers (min(32, cores + 4)) mapping is_prime over
30,000 numbers from 1,000,000: mid-sized calls, the executor's cost and the GIL together
(twin: executor_default.yaml)."""
from concurrent.futures import ThreadPoolExecutor
from common import is_prime, timed

FIRST, ITEMS = 1_000_000, 30_000
with timed():
    with ThreadPoolExecutor() as pool:
        list(pool.map(is_prime, range(FIRST, FIRST + ITEMS)))
