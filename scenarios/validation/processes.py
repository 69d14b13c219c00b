"""processes: two multiprocessing.Process workers, each counting the primes of one half of
1..N, started by METHOD (fork or spawn: argv[1]); the parent starts them and joins them
(twins: processes_fork.yaml, processes_spawn.yaml)."""
import multiprocessing as mp
import sys
from common import count_primes, timed

N = 400000

if __name__ == "__main__":
    ctx = mp.get_context(sys.argv[1] if len(sys.argv) > 1 else "fork")
    with timed():
        half = N // 2
        workers = [ctx.Process(target=count_primes, args=(1, half)),
                   ctx.Process(target=count_primes, args=(half + 1, N))]
        for w in workers:
            w.start()
        for w in workers:
            w.join()
