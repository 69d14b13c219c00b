"""asyncio: 200 tasks take 4,000 numbers from 100,000 off an asyncio.Queue, test each (a short
test) and await asyncio.sleep(1 ms): the loop's own costs dominate (twin: asyncio_fanout.yaml)."""
import asyncio
from common import is_prime, timed

FIRST, ITEMS, TASKS = 100_000, 4000, 200


async def worker(q):
    while not q.empty():
        n = q.get_nowait()
        is_prime(n)
        await asyncio.sleep(1e-3)


async def main():
    q = asyncio.Queue()
    for n in range(FIRST, FIRST + ITEMS):
        q.put_nowait(n)
    await asyncio.gather(*(worker(q) for _ in range(TASKS)))


with timed():
    asyncio.run(main())
