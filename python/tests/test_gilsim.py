"""The gilsim package against the built binary (GILSIM_BINARY): a run from a path, YAML text and
a dict gives the binary's own report; overrides and seeds reach it; a sweep's rows; bad input
raises ScenarioError at its file, line, column and key path."""
import json
import os
import pathlib
import subprocess

import pytest

import gilsim

SOURCE = pathlib.Path(__file__).resolve().parents[2]
MIXED = SOURCE / "scenarios" / "examples" / "mixed.yaml"
# Two 10 ms threads on one core under fifo: the second ends at 20 ms plus one 2 us switch.
TWO = """
machine: {cores: 1}
scheduler: {policy: fifo}
processes:
  - name: app
    runtime: native
    threads:
      - {name: t, count: 2, program: [{cpu: 10ms}]}
"""


def without_wall(report):
    return {k: v for k, v in report.items() if k != "wall_s"}


def cli_report(*args):
    out = subprocess.run([gilsim.binary(), "run", *args, "--json"], check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out)


def test_run_from_a_path_is_the_binarys_own_report():
    assert without_wall(gilsim.run(MIXED)) == without_wall(cli_report(str(MIXED)))


def test_run_with_overrides_and_seed_passes_them_on():
    r = gilsim.run(str(MIXED), set={"machine.cores": 4, "scheduler.policy": "rr"}, seed=3)
    expected = cli_report(str(MIXED), "--set", "machine.cores=4", "--set",
                          "scheduler.policy=rr", "--seed", "3")
    assert without_wall(r) == without_wall(expected)
    assert r["policy"] == "rr" and r["seed"] == 3 and len(r["cores"]) == 4


def test_run_from_yaml_text_and_from_a_dict_agree():
    from_text = gilsim.run(TWO)
    assert from_text["makespan_s"] == pytest.approx(0.020002)
    assert from_text["scenario"] == "scenario"
    as_dict = {"machine": {"cores": 1}, "scheduler": {"policy": "fifo"},
               "processes": [{"name": "app", "runtime": "native",
                              "threads": [{"name": "t", "count": 2,
                                           "program": [{"cpu": "10ms"}]}]}]}
    assert without_wall(gilsim.run(as_dict)) == without_wall(from_text)
    assert from_text["version"] == gilsim.version()


def test_a_bad_key_raises_with_file_line_column_and_key_path():
    with pytest.raises(gilsim.ScenarioError) as e:
        gilsim.run(TWO.replace("cores: 1", "cores: 0"))
    err = e.value
    assert (err.file, err.line, err.column, err.key_path) == ("<string>", 2, 18, "machine.cores")
    assert err.exit_code == 2 and "4096" in err.message


def test_a_misspelt_key_in_a_file_names_the_file():
    with pytest.raises(gilsim.ScenarioError) as e:
        gilsim.run(MIXED, set={"scheduler.quantun": "1ms"})
    assert e.value.file == "--set scheduler.quantun=1ms"
    assert e.value.key_path == "scheduler.quantun" and e.value.line == 1


def test_a_deadlock_raises_a_simulation_error():
    deadlock = """
locks: {a: {}, b: {}}
processes:
  - name: p
    runtime: native
    threads:
      - {name: x, program: [{lock: a}, {sleep: 1ms}, {lock: b}]}
      - {name: y, program: [{lock: b}, {sleep: 1ms}, {lock: a}]}
"""
    with pytest.raises(gilsim.SimulationError) as e:
        gilsim.run(deadlock)
    assert e.value.exit_code == 1


def test_sweep_gives_one_row_per_point(tmp_path):
    rows = gilsim.sweep(TWO, grid={"machine.cores": [1, 2]}, jobs=1, out=tmp_path,
                        dataframe=False)
    assert [r["machine.cores"] for r in rows] == [1, 2]
    assert [r["status"] for r in rows] == ["ok", "ok"]
    assert rows[0]["makespan_s"] == pytest.approx(0.020002)
    assert rows[1]["makespan_s"] == pytest.approx(0.010)
    assert (tmp_path / "results.csv").exists()


def test_sweep_is_a_dataframe_with_pandas():
    pandas = pytest.importorskip("pandas", reason="pandas (Debian: python3-pandas) is absent")
    df = gilsim.sweep(TWO, grid={"machine.cores": [1, 2]}, jobs=1)
    assert isinstance(df, pandas.DataFrame) and list(df["machine.cores"]) == [1, 2]


def test_check_show_and_schema():
    c = gilsim.check(MIXED)
    assert (c["status"], c["processes"], c["threads"]) == ("ok", 2, 7)
    shown = gilsim.show(TWO)
    assert "policy: fifo" in shown and "t-1" in shown
    assert without_wall(gilsim.run(shown)) == without_wall(gilsim.run(TWO))
    assert gilsim.schema()["$schema"].endswith("2020-12/schema")


def test_no_binary_says_where_to_find_one(monkeypatch):
    monkeypatch.setenv("GILSIM_BINARY", "")
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(gilsim.GilsimError, match="GILSIM_BINARY"):
        gilsim.run(MIXED)


def test_the_example_study_in_docs_runs():
    script = SOURCE / "docs" / "python_example.py"
    env = {**os.environ, "PYTHONPATH": str(SOURCE / "python")}
    out = subprocess.run(["/usr/bin/python3", str(script)], check=True, capture_output=True,
                         text=True, env=env).stdout
    assert "gilsim " + gilsim.version() in out and "machine.cores" in out
