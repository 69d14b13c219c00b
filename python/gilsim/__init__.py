"""Run gilsim from Python: reports as dicts, sweeps as rows, errors as exceptions.

Every call starts the gilsim binary (one simulation engine per process): the one named by the
GILSIM_BINARY environment variable, else `gilsim` on the PATH. A scenario is a path to a YAML
file, YAML text, or a dict (written out as JSON, which is YAML).
"""
from ._run import (GilsimError, ScenarioError, SimulationError, binary, check, run, schema,
                   show, sweep, version)

__all__ = ["run", "sweep", "check", "show", "schema", "version", "binary", "GilsimError",
           "ScenarioError", "SimulationError"]
__version__ = "0.1.0"
