"""sync: the lessons' prime count over 1..N in one thread (twin: sync_primes.yaml)."""
from common import count_primes, timed, arg

N = arg(1, 300000)
with timed():
    count_primes(1, N)
