"""The package installs from the checkout: a fresh venv (Debian's python3-venv), pip install of
python/ without the network, and the installed package runs the binary."""
import os
import pathlib
import subprocess
import sys

import pytest

SOURCE = pathlib.Path(__file__).resolve().parents[2]


def test_pip_install_from_the_checkout(tmp_path):
    env_dir = tmp_path / "env"
    made = subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(env_dir)],
                          capture_output=True, text=True)
    if made.returncode != 0:
        pytest.skip(f"python3 -m venv failed (Debian: python3-venv): {made.stderr.strip()}")
    py = env_dir / "bin" / "python"
    subprocess.run([str(py), "-m", "pip", "install", "--no-index", "--no-build-isolation",
                    "--no-deps", "-q", str(SOURCE / "python")], check=True, cwd=tmp_path)
    code = ("import gilsim, json; r = gilsim.run(%r); print(gilsim.__file__, r['status'])"
            % str(SOURCE / "scenarios" / "examples" / "cpu_bound.yaml"))
    out = subprocess.run([str(py), "-c", code], check=True, capture_output=True, text=True,
                         cwd=tmp_path, env={**os.environ, "PYTHONPATH": ""}).stdout
    where, status = out.split()
    assert status == "ok"
    assert str(env_dir) in where, "the venv's copy is the one imported"
