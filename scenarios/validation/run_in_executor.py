"""asyncio's loop.run_in_executor: 600 blocking calls (a prime test and a 2 ms time.sleep) handed
to the default thread pool, awaited together (twin: run_in_executor.yaml)."""
import asyncio
import time
from common import is_prime, timed

FIRST, CALLS = 10_000_000, 600


def blocking(n):
    is_prime(n)
    time.sleep(2e-3)


async def main():
    loop = asyncio.get_running_loop()
    await asyncio.gather(*(loop.run_in_executor(None, blocking, n)
                           for n in range(FIRST, FIRST + CALLS)))


with timed():
    asyncio.run(main())
