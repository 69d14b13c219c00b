"""ThreadPoolExecutor(4).map(is_prime) over 20,000 small numbers: each call is short, so the
cost is the executor's own (submit, the Future, its result) and the submitting thread's share
(twin: executor_cpu.yaml)."""
from concurrent.futures import ThreadPoolExecutor
from common import is_prime, timed

ITEMS = 20000
with timed():
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(is_prime, range(1, ITEMS + 1)))
