"""sync with waits: each of 300 large numbers tested, then time.sleep(1 ms): the sleep's real
duration (timer slack, wake-up) weighs as much as the computing (twin: sync_sleep.yaml)."""
import time
from common import is_prime, timed

FIRST = 10_000_000
with timed():
    for n in range(FIRST, FIRST + 300):
        is_prime(n)
        time.sleep(1e-3)
