"""multiprocessing.Pool(2), spawned, .map(is_prime) over 20,000 numbers from 10,000,000 with the
default chunksize: the workers' start by spawn and the large numbers' tests (twin:
pool_spawn.yaml)."""
import multiprocessing as mp
from common import is_prime, timed

FIRST, ITEMS = 10_000_000, 20_000

if __name__ == "__main__":
    with timed():
        with mp.get_context("spawn").Pool(2) as pool:
            pool.map(is_prime, range(FIRST, FIRST + ITEMS))
