"""ProcessPoolExecutor(2).map over small numbers with chunksize C (argv[1]) and ITEMS (argv[2]):
each call is a prime test of a small number, so the cost is the pool's: pickling, the pipes, and
the parent's main and management threads (twins: executor_chunks_1.yaml, _10, _100)."""
import sys
from concurrent.futures import ProcessPoolExecutor
from common import is_prime, timed

if __name__ == "__main__":
    chunksize = int(sys.argv[1])
    items = int(sys.argv[2])
    with timed():
        with ProcessPoolExecutor(2) as pool:
            list(pool.map(is_prime, range(1, items + 1), chunksize=chunksize))
