#!/usr/bin/python3
"""The scenario schema against a real validator (Debian's python3-jsonschema).

`gilsim schema` must equal the checked-in docs/gilsim.schema.json, be a valid draft 2020-12
schema, accept every shipped scenario (each carrying the yaml-language-server modeline that
points editors at it) and refuse what the loader refuses: a misspelt key anywhere, a parameter
of another policy, a value out of its declared range. Exits 77 (ctest: skipped) with the Debian
package to install when a module is missing.

Usage: schema_test.py GILSIM_BINARY SOURCE_DIR
"""
import json
import pathlib
import subprocess
import sys
import tempfile

try:
    import jsonschema
    import yaml
except ImportError as e:
    package = {"jsonschema": "python3-jsonschema", "yaml": "python3-yaml"}.get(e.name, e.name)
    print(f"SKIP: the schema test needs {package} (scripts/install-deps installs it)")
    sys.exit(77)

binary, source = sys.argv[1], pathlib.Path(sys.argv[2])
failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


printed = subprocess.run([binary, "schema"], check=True, capture_output=True, text=True).stdout
schema = json.loads(printed)
checked_in = source / "docs" / "gilsim.schema.json"
check(checked_in.read_text() == printed,
      "docs/gilsim.schema.json is what `gilsim schema` prints (regenerate: "
      "build/gilsim schema > docs/gilsim.schema.json)")
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)

# Every scenario; a validation suite's list of programs (scenarios/validation/suite.yaml,
# holdout/suite.yaml) is not one.
shipped = sorted(p for p in (source / "scenarios").rglob("*.yaml")
                 if not (p.name == "suite.yaml" and "validation" in p.parts))
check(len(shipped) >= 18, f"{len(shipped)} shipped scenarios found")
for path in shipped:
    rel = path.relative_to(source)
    first = path.read_text().splitlines()[0]
    target = pathlib.Path("../" * (len(rel.parts) - 1) + "docs/gilsim.schema.json")
    check(first == f"# yaml-language-server: $schema={target}",
          f"{rel} starts with the modeline naming {target}")
    errors = [f"{'.'.join(map(str, e.absolute_path))}: {e.message[:200]}"
              for e in validator.iter_errors(yaml.safe_load(path.read_text()))]
    check(not errors, f"{rel} is valid" + "".join("\n       " + e for e in errors[:3]))

# What the loader refuses, the schema refuses: each is a shipped example with one mistake.
mixed = yaml.safe_load((source / "scenarios" / "examples" / "mixed.yaml").read_text())


def mistaken(change):
    doc = json.loads(json.dumps(mixed))
    change(doc)
    return doc


cases = {
    "a misspelt top-level key (machne)": lambda d: d.update(machne=d.pop("machine")),
    "a misspelt machine key (core)": lambda d: d["machine"].update(core=2),
    "a parameter cfs does not have (quantum)": lambda d: d["scheduler"].update(quantum="4ms"),
    "an unknown policy (cfss)": lambda d: d["scheduler"].update(policy="cfss"),
    "a misspelt thread key (nicce)": lambda d: d["processes"][0]["threads"][0].update(nicce=1),
    "a misspelt step (cpuu)": lambda d: d["processes"][0]["threads"][0]["program"].append({"cpuu": "1ms"}),
    "a duration without a number (ms)": lambda d: d["machine"].update(context_switch="ms"),
    "nice out of range (40)": lambda d: d["processes"][0]["threads"][0].update(nice=40),
    "a GIL parameter out of range (switch_interval: 0)":
        lambda d: d.update(python={"gil": "new", "switch_interval": 0}),
}
check(validator.is_valid(mixed), "mixed.yaml itself is valid")
for what, change in cases.items():
    check(not validator.is_valid(mistaken(change)), f"refused: {what}")

# A work queue holds items or takes arrivals, one of the two (request_server.yaml takes arrivals).
server = yaml.safe_load((source / "scenarios" / "examples" / "request_server.yaml").read_text())
queue = server["queues"]["requests"]
for what, q in {"both items and arrivals": dict(queue, items={"range": [1, 3]}),
                "neither items nor arrivals": {"chunk": 2},
                "a misspelt arrivals (arrival)": {"arrival": queue["arrivals"]}}.items():
    doc = json.loads(json.dumps(server))
    doc["queues"]["requests"] = q
    check(not validator.is_valid(doc), f"refused: a work queue with {what}")

# Shared settings: a top-level x- block merged with `<<` (PyYAML expands merge keys as the loader
# does) is valid, and the block may hold anything; an x- key below the top level is not.
shared = """
x-worker: &worker
  count: 2
  program: [{cpu: 2ms}]
x-notes: {any: [thing, 1]}
processes:
  - name: p
    threads:
      - {<<: *worker, name: a}
      - {<<: *worker, name: b, count: 1}
"""
check(validator.is_valid(yaml.safe_load(shared)), "an x- block and merge keys are valid")
check(not validator.is_valid(yaml.safe_load(shared.replace("    threads:", "    x-t: 1\n    threads:"))),
      "refused: an x- key inside a process")
with tempfile.TemporaryDirectory() as tmp:
    (pathlib.Path(tmp) / "shared.yaml").write_text(shared)
    loaded = subprocess.run([binary, "check", str(pathlib.Path(tmp) / "shared.yaml")],
                            capture_output=True, text=True)
check(loaded.returncode == 0,
      "gilsim check loads it too" + (": " + loaded.stderr.strip() if loaded.returncode else ""))

if failures:
    print(f"{len(failures)} check(s) failed")
    sys.exit(1)
