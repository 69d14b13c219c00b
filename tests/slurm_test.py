#!/usr/bin/python3
"""`gilsim sweep --slurm` on a real single-node Slurm, from Debian's packages.

The test writes a munge key and a minimal slurm.conf into a temporary directory, starts munged,
slurmctld and slurmd there (its own socket and ports, nothing of the system's), and stops them
at the end whatever happened. Then:
  1. a local sweep of the convoy example (3 x 2 grid, 2 seeds: 12 points);
  2. the same sweep with `--slurm 3 --wait` while task 2 cannot write its shard (a file stands
     where its directory goes): tasks 1 and 3 run, the merge finds 4 points missing, exit 1;
  3. the obstacle removed, the same command again: it resubmits task 2 only, the merge is
     complete, exit 0, and the merged results equal the local sweep's point for point but for
     wall_s;
  4. the same command once more: nothing left to run, it merges and submits nothing.

Slurm missing: with GILSIM_CI=1 (as .ci/run sets it) and root, scripts/install-deps installs it;
otherwise the test is skipped (exit 77) naming the missing packages. Not root: skipped (slurmd
must run as root to start jobs).

Usage: slurm_test.py GILSIM_BINARY SOURCE_DIR
"""
import csv
import json
import os
import pathlib
import shutil
import socket
import subprocess
import sys
import tempfile
import time

binary, source = pathlib.Path(sys.argv[1]).resolve(), pathlib.Path(sys.argv[2]).resolve()
# The programs the test starts, and the Debian package of each.
PROGRAMS = {"munged": "munge", "slurmctld": "slurmctld", "slurmd": "slurmd",
            "sbatch": "slurm-client", "sinfo": "slurm-client"}
BUDGET_S = 240  # for everything after the packages are there
failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what, flush=True)
    if not ok:
        failures.append(what)


def find(program):
    return shutil.which(program) or shutil.which(program, path="/usr/sbin:/sbin")


def missing_packages():
    return sorted({pkg for prog, pkg in PROGRAMS.items() if not find(prog)})


if os.geteuid() != 0:
    print("SKIP: the Slurm test starts slurmd, which must run as root")
    sys.exit(77)
missing = missing_packages()
if missing and os.environ.get("GILSIM_CI") == "1":
    print(f"installing {' '.join(missing)} with scripts/install-deps", flush=True)
    subprocess.run([str(source / "scripts" / "install-deps")], check=True, timeout=600)
    missing = missing_packages()
    if missing:
        print(f"FAIL: scripts/install-deps left {' '.join(missing)} missing")
        sys.exit(1)
if missing:
    print(f"SKIP: the Slurm test needs the Debian packages {' '.join(missing)} "
          "(scripts/install-deps installs them; GILSIM_CI=1 makes this test do it)")
    sys.exit(77)

deadline = time.monotonic() + BUDGET_S


def left():
    return max(1.0, deadline - time.monotonic())


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(what, ready, limit=60):
    end = min(time.monotonic() + limit, deadline)
    while time.monotonic() < end:
        if ready():
            return True
        time.sleep(0.25)
    check(False, f"{what} within {limit} s")
    return False


tmp = pathlib.Path(tempfile.mkdtemp(prefix="gilsim-slurm-"))
os.chmod(tmp, 0o700)
daemons = []
env = {**os.environ, "SLURM_CONF": str(tmp / "slurm.conf")}


def start(name, argv):
    log = open(tmp / f"{name}.out", "w")
    daemons.append((name, subprocess.Popen([str(a) for a in argv], stdout=log,
                                           stderr=subprocess.STDOUT, env=env,
                                           start_new_session=True)))


def stop_daemons():
    for name, p in reversed(daemons):
        if p.poll() is None:
            p.terminate()
            try:
                p.wait(timeout=15)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()


def gilsim(*args):
    return subprocess.run([str(binary), *map(str, args)], capture_output=True, text=True,
                          env=env, timeout=left())


def table(path):
    """results.csv as {point: row}, wall_s left out (the runs' own wall time)."""
    with open(path, newline="") as f:
        return {r["point"]: {k: v for k, v in r.items() if k != "wall_s"}
                for r in csv.DictReader(f)}


def without_wall(value):
    if isinstance(value, dict):
        return {k: without_wall(v) for k, v in value.items() if k != "wall_s"}
    if isinstance(value, list):
        return [without_wall(v) for v in value]
    return value


def records(path):
    return {r["point"]: without_wall(r) for r in map(json.loads, path.read_text().splitlines())}


def events(stdout):
    return [json.loads(line) for line in stdout.splitlines() if line.startswith("{")]


try:
    key = tmp / "munge.key"
    key.write_bytes(os.urandom(1024))
    os.chmod(key, 0o400)
    munge_socket = tmp / "munge.socket"
    start("munged", [find("munged"), "--foreground", "--force", f"--key-file={key}",
                     f"--socket={munge_socket}", f"--pid-file={tmp / 'munged.pid'}",
                     f"--log-file={tmp / 'munged.log'}", f"--seed-file={tmp / 'munge.seed'}"])
    wait_for("munged makes its socket", munge_socket.exists, 20)

    host = socket.gethostname().split(".")[0]
    for d in ("state", "spool"):
        (tmp / d).mkdir()
    cpus = max(1, min(os.cpu_count() or 1, 4))
    (tmp / "slurm.conf").write_text(f"""\
ClusterName=gilsimtest
SlurmctldHost={host}(127.0.0.1)
SlurmctldPort={free_port()}
SlurmdPort={free_port()}
SlurmUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket={munge_socket}
StateSaveLocation={tmp / 'state'}
SlurmdSpoolDir={tmp / 'spool'}
SlurmctldPidFile={tmp / 'slurmctld.pid'}
SlurmdPidFile={tmp / 'slurmd.pid'}
SlurmctldLogFile={tmp / 'slurmctld.log'}
SlurmdLogFile={tmp / 'slurmd.log'}
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SlurmdParameters=config_overrides
ReturnToService=2
MailProg=/bin/true
NodeName=gilsim-node NodeAddr=127.0.0.1 CPUs={cpus} State=UNKNOWN
PartitionName=test Nodes=gilsim-node Default=YES MaxTime=INFINITE State=UP
""")
    start("slurmctld", [find("slurmctld"), "-D", "-i", "-f", tmp / "slurm.conf"])
    start("slurmd", [find("slurmd"), "-D", "-N", "gilsim-node", "-f", tmp / "slurm.conf"])

    def node_idle():
        r = subprocess.run([find("sinfo"), "-h", "-N", "-o", "%t"], capture_output=True,
                           text=True, env=env, timeout=10)
        return r.returncode == 0 and r.stdout.strip() == "idle"

    if wait_for("the node is idle", node_idle, 60):
        version = subprocess.run([find("sinfo"), "--version"], capture_output=True, text=True,
                                 env=env).stdout.strip()
        print(f"Slurm is up: {version}, one node of {cpus} CPUs", flush=True)
        scenario = source / "scenarios" / "examples" / "gil_convoy.yaml"
        sweep = ["sweep", scenario, "--grid", "python.switch_interval=1ms..3ms:+1ms",
                 "--grid", "processes.0.threads.0.count=1..2", "--seeds", "2"]
        local = gilsim(*sweep, "-j", "1", "--out", tmp / "local")
        check(local.returncode == 0, f"the local sweep runs its 12 points: {local.stderr}")

        out = tmp / "slurm-out"
        (out / "shards").mkdir(parents=True)
        (out / "shards" / "2").write_text("a file where task 2's directory goes\n")
        cmd = [*sweep, "--slurm", "3", "--sbatch=--partition=test", "--wait", "--json",
               "--out", out]

        def submit(expect_code, expect_tasks, why):
            """The command, which must submit these tasks and exit with this code."""
            r = gilsim(*cmd)
            print(r.stderr, end="")
            ev = events(r.stdout)
            check(r.returncode == expect_code, f"{why}, the command exits {expect_code}: "
                  f"{r.returncode}")
            check(ev[:1] and ev[0]["event"] == "submitted" and ev[0]["tasks"] == expect_tasks,
                  f"it submits tasks {expect_tasks}: {ev}")
            return r

        first = submit(1, "1-3", "with task 2 failing")
        log2 = out / "slurm" / "task-2.log"
        task2 = log2.read_text() if log2.exists() else ""
        check("cannot write into" in task2, f"task 2's log says why it failed: {task2.strip()}")
        check("8 of 12 points" in first.stderr and "4 missing" in first.stderr,
              "the merge reports task 2's 4 points missing")

        (out / "shards" / "2").unlink()
        second = submit(0, "2", "task 2 resubmitted alone")
        for task in (1, 3):
            lines = (out / "shards" / str(task) / "points.jsonl").read_text().splitlines()
            check(len(lines) == 4, f"task {task} ran its 4 points once: {len(lines)} records")
        if second.returncode == 0:
            a, b = table(tmp / "local" / "results.csv"), table(out / "results.csv")
            check(len(a) == 12 and a == b,
                  "results.csv: the Slurm sweep's 12 rows equal the local sweep's but for wall_s")
            ra, rb = records(tmp / "local" / "points.jsonl"), records(out / "points.jsonl")
            check(len(ra) == 12 and ra == rb,
                  "points.jsonl: every report equals the local sweep's but for wall_s")
            check(all(r["status"] == "ok" for r in rb.values()), "every point is ok")

        third = gilsim(*cmd)
        check(third.returncode == 0 and not events(third.stdout)
              and "every task of the sweep has run" in third.stderr,
              f"once complete, the same command submits nothing: {third.stderr.strip()}")
except subprocess.TimeoutExpired as e:
    check(False, f"finished within {BUDGET_S} s ({e.cmd[:3]})")
finally:
    stop_daemons()
    if failures:
        for name in ("slurmctld.log", "slurmd.log", "munged.log", "slurmctld.out", "slurmd.out",
                     "slurm-out/slurm/merge.log", "slurm-out/slurm/task-1.log"):
            path = tmp / name
            if path.exists():
                print(f"--- {name} (last lines)")
                print("\n".join(path.read_text(errors="replace").splitlines()[-15:]))
    shutil.rmtree(tmp, ignore_errors=True)

if failures:
    print(f"{len(failures)} check(s) failed")
    sys.exit(1)
