"""The GIL convoy: an I/O thread doing 200 rounds of a 1 ms time.sleep (blocking I/O) beside K
CPU-bound threads (argv[1]) that spin until it is done, at a switch interval of argv[2]
microseconds; the figure is the I/O thread's time (twins: convoy_k1_5ms.yaml and the others)."""
import sys
import threading
import time
from common import timed

K = int(sys.argv[1])
sys.setswitchinterval(int(sys.argv[2]) * 1e-6)
done = False


def spin():
    x = 0
    while not done:
        x += 1


def io():
    for _ in range(200):
        time.sleep(1e-3)


with timed():
    spinners = [threading.Thread(target=spin, daemon=True) for _ in range(K)]
    for t in spinners:
        t.start()
    t = threading.Thread(target=io)
    t.start()
    t.join()
    done = True
