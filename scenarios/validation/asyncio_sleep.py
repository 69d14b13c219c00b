"""asyncio: 50 worker tasks take 2000 large numbers from an asyncio.Queue, test each, then
await asyncio.sleep(5 ms): the tests block the loop, the sleeps overlap (twin:
asyncio_sleep.yaml). Arguments, all optional: FIRST ITEMS TASKS SLEEP_US."""
import asyncio
from common import arg, is_prime, timed

FIRST, ITEMS, TASKS, SLEEP = arg(1, 10_000_000), arg(2, 2000), arg(3, 50), arg(4, 5000) * 1e-6


async def worker(q):
    while not q.empty():
        n = q.get_nowait()
        is_prime(n)
        await asyncio.sleep(SLEEP)


async def main():
    q = asyncio.Queue()
    for n in range(FIRST, FIRST + ITEMS):
        q.put_nowait(n)
    await asyncio.gather(*(worker(q) for _ in range(TASKS)))


with timed():
    asyncio.run(main())
