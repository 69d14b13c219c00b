"""4 CPU-bound threads, each counting the primes of a quarter of 1..N, under one GIL on 2
cores: never faster than sync (twin: cpu_threads.yaml)."""
import threading
from common import count_primes, timed

N, THREADS = 300000, 4

with timed():
    q = N // THREADS
    threads = [threading.Thread(target=count_primes, args=(k * q + 1, (k + 1) * q))
               for k in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
