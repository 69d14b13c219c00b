#!/usr/bin/env python3
# %% [markdown]
# # gilsim from Python: what do more cores buy a mixed service, and what does the GIL cost it?
#
# A notebook-style script (run it whole, or cell by cell in an editor that knows `# %%`). It
# needs the gilsim package (`pip install ./python`, or PYTHONPATH=python) and the binary
# (`build/gilsim`: on the PATH, or named by GILSIM_BINARY). pandas is used when installed.
#
#     GILSIM_BINARY=build/gilsim PYTHONPATH=python python3 docs/python_example.py

# %%
import os
import pathlib

import gilsim

here = pathlib.Path(__file__).resolve().parent.parent
os.environ.setdefault("GILSIM_BINARY", str(here / "build" / "gilsim"))
mixed = here / "scenarios" / "examples" / "mixed.yaml"
print("gilsim", gilsim.version())

# %% [markdown]
# One run: the report is a dict with the README's stable keys.

# %%
report = gilsim.run(mixed)
print(f"makespan {report['makespan_s'] * 1e3:.3f} ms on {len(report['cores'])} cores")
for t in report["threads"]:
    print(f"  {t['name']:>10}: ends at {t['end_s'] * 1e3:8.3f} ms, "
          f"waited {t['ready_wait_s'] * 1e3:6.3f} ms for a core")

# %% [markdown]
# A sweep: cores and policies, one gilsim process per point. Rows come back as a DataFrame when
# pandas is installed, else as a list of dicts.

# %%
rows = gilsim.sweep(mixed, grid={"machine.cores": [1, 2, 4], "scheduler.policy": ["cfs", "fifo"]})
try:
    print(rows[["machine.cores", "scheduler.policy", "makespan_s", "utilization"]])
except TypeError:  # a list of dicts
    for r in rows:
        print(f"{r['machine.cores']:>3} cores, {r['scheduler.policy']:>4}: "
              f"{r['makespan_s'] * 1e3:8.3f} ms")

# %% [markdown]
# A scenario written in Python: two CPU-bound Python threads under each GIL. Under the GIL
# they take about twice one thread's time whatever the cores; free-threaded, half as long on
# two cores.

# %%
def two_threads(gil):
    return {"name": f"two-{gil}", "machine": {"cores": 2}, "python": {"gil": gil},
            "processes": [{"name": "app", "threads": [
                {"name": "t", "count": 2, "program": [{"cpu": "100ms"}]}]}]}


for gil in ("new", "old", "none"):
    r = gilsim.run(two_threads(gil))
    print(f"gil {gil:>4}: {r['makespan_s'] * 1e3:8.3f} ms, "
          f"{r['processes'][0]['gil']['switches']} GIL hand-offs")

# %% [markdown]
# Mistakes come back as exceptions that say where.

# %%
try:
    gilsim.run(mixed, set={"machine.cores": 0})
except gilsim.ScenarioError as e:
    print(f"{e.file} line {e.line} column {e.column}, at {e.key_path}: {e.message}")
