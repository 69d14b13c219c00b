"""multiprocessing.Pool(2).map(is_prime, 1..N) with the pool's default chunksize
(ceil(N / (4 x 2)) = 4 tasks per worker), forked (twin: pool_map.yaml)."""
import multiprocessing as mp
from common import is_prime, timed

N = 400000

if __name__ == "__main__":
    with timed():
        with mp.get_context("fork").Pool(2) as pool:
            pool.map(is_prime, range(1, N + 1))
