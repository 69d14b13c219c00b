"""asyncio: 50 worker tasks take 2000 large numbers from an asyncio.Queue, test each, then
await asyncio.sleep(5 ms): the tests block the loop, the sleeps overlap (twin:
asyncio_sleep.yaml)."""
import asyncio
from common import is_prime, timed

FIRST, ITEMS, TASKS = 10_000_000, 2000, 50


async def worker(q):
    while not q.empty():
        n = q.get_nowait()
        is_prime(n)
        await asyncio.sleep(5e-3)


async def main():
    q = asyncio.Queue()
    for n in range(FIRST, FIRST + ITEMS):
        q.put_nowait(n)
    await asyncio.gather(*(worker(q) for _ in range(TASKS)))


with timed():
    asyncio.run(main())
