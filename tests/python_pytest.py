#!/usr/bin/python3
"""Runs the gilsim Python package's pytest tests (python/tests) for ctest; exits 77 (skipped)
naming the Debian package when pytest is missing. Usage: python_pytest.py SOURCE_DIR [ARGS]"""
import sys

try:
    import pytest
except ImportError:
    print("SKIP: the Python package's tests need pytest (Debian: python3-pytest; "
          "scripts/install-deps installs it)")
    sys.exit(77)

source = sys.argv[1]
sys.path.insert(0, source + "/python")
sys.exit(pytest.main(["-q", "-p", "no:cacheprovider", source + "/python/tests", *sys.argv[2:]]))
