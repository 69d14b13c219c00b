"""The calls, each one gilsim process; its exit code says what went wrong (0 ok, 1 a run that
could not finish, 2 bad input with FILE:LINE:COL: key.path: message on stderr)."""
import contextlib
import csv
import json
import os
import pathlib
import re
import shutil
import subprocess
import tempfile


class GilsimError(Exception):
    """gilsim failed: `exit_code` and `stderr` say how."""

    def __init__(self, message, exit_code=None, stderr=""):
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code
        self.stderr = stderr


class ScenarioError(GilsimError):
    """Bad input (exit 2): where it is (file, line, column, key_path) and what is wrong."""

    def __init__(self, message, file=None, line=None, column=None, key_path=None,
                 exit_code=2, stderr=""):
        where = ":".join(str(p) for p in (file, line, column) if p is not None)
        text = ": ".join(p for p in (where, key_path, message) if p)
        super().__init__(text, exit_code, stderr)
        self.message = message
        self.file, self.line, self.column, self.key_path = file, line, column, key_path


class SimulationError(GilsimError):
    """The run could not finish (exit 1: a deadlock, --max-events, --max-time)."""


# FILE:LINE:COL: key.path: message, FILE:LINE: message or FILE: message. The file may be an
# override ("--set machine.cores=0"); a key path has neither spaces nor ": ".
_POSITION = re.compile(r"^(?P<file>.*?):(?P<line>\d+)(?::(?P<col>\d+))?: (?P<rest>.*)$")
_KEY_PATH = re.compile(r"^(?P<path>[A-Za-z_][\w.\[\]-]*): (?P<message>.*)$")


def parse_error(stderr, exit_code=2, labels=None):
    """A ScenarioError from gilsim's first line of stderr; `labels` renames temporary files."""
    first = stderr.strip().splitlines()[0] if stderr.strip() else "gilsim failed"
    file = line = col = key = None
    message = first
    m = _POSITION.match(first)
    if m:
        file, line = m["file"], int(m["line"])
        col = int(m["col"]) if m["col"] else None
        message = m["rest"]
    elif ": " in first and not first.startswith("gilsim: "):
        file, message = first.split(": ", 1)
    k = _KEY_PATH.match(message)
    if k and file is not None:
        key, message = k["path"], k["message"]
    if labels and file in labels:
        file = labels[file]
    return ScenarioError(message, file, line, col, key, exit_code, stderr)


def binary():
    """The gilsim executable these calls run: $GILSIM_BINARY, else gilsim on the PATH."""
    named = os.environ.get("GILSIM_BINARY")
    if named:
        return named
    found = shutil.which("gilsim")
    if not found:
        raise GilsimError("gilsim not found: put it on the PATH or set GILSIM_BINARY "
                          "(a build has it at build/gilsim)")
    return found


def _yaml_value(v):
    """A --set value as gilsim reads it (YAML): JSON for lists, dicts and booleans."""
    if isinstance(v, bool) or isinstance(v, (list, dict)) or v is None:
        return json.dumps(v)
    return str(v)


def _set_args(overrides):
    args = []
    for key, value in (overrides or {}).items():
        args += ["--set", f"{key}={_yaml_value(value)}"]
    return args


@contextlib.contextmanager
def _scenario_file(scenario):
    """A path for `scenario` and the names to show for it in errors."""
    if isinstance(scenario, os.PathLike) or (
            isinstance(scenario, str) and "\n" not in scenario and
            not scenario.lstrip().startswith("{") and scenario.endswith((".yaml", ".yml"))):
        yield str(scenario), {}
        return
    if isinstance(scenario, dict):
        text, label = json.dumps(scenario, indent=1), "<dict>"
    elif isinstance(scenario, str):
        text, label = scenario, "<string>"
    else:
        raise TypeError("a scenario is a path, YAML text or a dict, not "
                        f"{type(scenario).__name__}")
    with tempfile.TemporaryDirectory(prefix="gilsim-") as d:
        path = pathlib.Path(d) / "scenario.yaml"  # its stem is the default name: "scenario"
        path.write_text(text)
        yield str(path), {str(path): label}


def _call(args, labels=None):
    done = subprocess.run([binary(), *args], capture_output=True, text=True)
    if done.returncode == 2:
        raise parse_error(done.stderr, 2, labels)
    if done.returncode == 1:
        raise SimulationError(done.stderr.strip() or "the run could not finish", 1, done.stderr)
    if done.returncode != 0:
        raise GilsimError(done.stderr.strip() or f"gilsim exited with {done.returncode}",
                          done.returncode, done.stderr)
    return done.stdout


def run(scenario, set=None, seed=None, max_events=None, max_time=None, profile=None):
    """Runs the scenario; returns its JSON report as a dict (README, "the report's stable
    keys"). `set` maps key paths to values, as --set does: {"machine.cores": 4}."""
    with _scenario_file(scenario) as (path, labels):
        args = ["run", path, "--json", *_set_args(set)]
        if seed is not None:
            args += ["--seed", str(seed)]
        if max_events is not None:
            args += ["--max-events", str(max_events)]
        if max_time is not None:
            args += ["--max-time", str(max_time)]
        if profile is not None:
            args += ["--profile", str(profile)]
        return json.loads(_call(args, labels))


def check(scenario, set=None):
    """Validates without running; returns what `check --json` prints (processes, threads,
    queues)."""
    with _scenario_file(scenario) as (path, labels):
        return json.loads(_call(["check", path, "--json", *_set_args(set)], labels))


def show(scenario, set=None):
    """The effective scenario as YAML text (`gilsim show`)."""
    with _scenario_file(scenario) as (path, labels):
        return _call(["show", path, *_set_args(set)], labels)


def schema():
    """The JSON Schema of the scenario format, as a dict."""
    return json.loads(_call(["schema"]))


def version():
    """The version of the gilsim binary, e.g. "0.1.0"."""
    return _call(["--version"]).split()[-1]


def _number(text):
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def sweep(scenario, grid, set=None, seeds=None, jobs=None, out=None, retry_failed=False,
          dataframe=None):
    """Runs the cartesian product of `grid` ({"machine.cores": [1, 2, 4]} or
    {"machine.cores": "1..64:x2"}), each point its own process, into `out` (a temporary
    directory when not given). Returns results.csv's rows: a pandas DataFrame when pandas is
    installed (or dataframe=True), else a list of dicts with numbers as numbers."""
    with _scenario_file(scenario) as (path, labels), contextlib.ExitStack() as stack:
        if out is None:
            out = stack.enter_context(tempfile.TemporaryDirectory(prefix="gilsim-sweep-"))
        args = ["sweep", path, "--out", str(out), *_set_args(set)]
        for key, values in grid.items():
            if not isinstance(values, str):
                values = ",".join(_yaml_value(v) for v in values)
            args += ["--grid", f"{key}={values}"]
        if seeds is not None:
            args += ["--seeds", str(seeds)]
        if jobs is not None:
            args += ["-j", str(jobs)]
        if retry_failed:
            args.append("--retry-failed")
        try:
            _call(args, labels)
        except SimulationError:
            pass  # some points failed: their rows say so (status, error)
        results = pathlib.Path(out) / "results.csv"
        if dataframe is not False:
            try:
                import pandas
                return pandas.read_csv(results)
            except ImportError:
                if dataframe:
                    raise
        with results.open(newline="") as f:
            return [{k: _number(v) for k, v in row.items()} for row in csv.DictReader(f)]
