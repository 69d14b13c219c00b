"""Shared by gilsim's validation programs: the lessons' is_prime, as the seed writes it
(multi_tasking/helper/primes.py), and the one line of output `gilsim validate --python` reads.

Every program times only its own work, from just before it starts to just after it ends
(time.perf_counter), so the interpreter's start and its imports are not in the figure; its twin
scenario starts its clock at the same point.
"""
import json
import math
import sys
import time


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


def count_primes(first, last):
    primes = 0
    for n in range(first, last + 1):
        if is_prime(n):
            primes += 1
    return primes


class timed:
    """with timed(): ... prints {"seconds": wall, "python": version} when the block ends."""

    def __enter__(self):
        self.t0 = time.perf_counter()
        return self

    def __exit__(self, *exc):
        seconds = time.perf_counter() - self.t0
        if exc[0] is None:
            print(json.dumps({"seconds": seconds, "python": sys.version.split()[0]}), flush=True)
        return False


def arg(k, default):
    """The k-th command-line argument as an int, or default."""
    return int(sys.argv[k]) if len(sys.argv) > k else default
