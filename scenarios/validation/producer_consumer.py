"""queue.Queue producer/consumer: one producer tests 600 large numbers and puts each on a queue
of capacity 10; two consumers get them and block 2 ms per item (time.sleep standing for I/O)
(twin: producer_consumer.yaml)."""
import queue
import threading
import time
from common import is_prime, timed

FIRST, ITEMS, CONSUMERS = 10_000_000, 600, 2


def produce(q):
    for n in range(FIRST, FIRST + ITEMS):
        is_prime(n)
        q.put(n)
    for _ in range(CONSUMERS):
        q.put(None)


def consume(q):
    while q.get() is not None:
        time.sleep(2e-3)


with timed():
    q = queue.Queue(10)
    threads = [threading.Thread(target=produce, args=(q,))]
    threads += [threading.Thread(target=consume, args=(q,)) for _ in range(CONSUMERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
