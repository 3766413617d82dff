"""Shared helpers of the Python tests (run by CTest: tests/python/CMakeLists.txt sets
PYTHONPATH to the build's python/ folder, ALIGNSIM_BINARY and ALIGNSIM_SOURCE_DIR)."""
import os
import subprocess
from pathlib import Path

import pandas as pd
import pytest

SOURCE_DIR = Path(os.environ.get("ALIGNSIM_SOURCE_DIR", Path(__file__).resolve().parents[2]))
BINARY = os.environ.get("ALIGNSIM_BINARY", str(SOURCE_DIR / "build" / "tools" / "alignsim"))
FLAGSHIP = str(SOURCE_DIR / "scenarios" / "asean_2016.yaml")


def cli(*args, cwd=None, check=True):
    """Runs `alignsim ARGS` and returns the CompletedProcess (text)."""
    r = subprocess.run([BINARY, *map(str, args)], capture_output=True, text=True, cwd=cwd)
    if check and r.returncode != 0:
        raise AssertionError(f"alignsim {' '.join(map(str, args))} exited {r.returncode}: {r.stderr}")
    return r


def read_csv(path):
    """A CSV the CLI wrote, with its floats read back exactly and empty cells kept as ""."""
    return pd.read_csv(path, float_precision="round_trip", keep_default_na=False, dtype={"partner": str})


@pytest.fixture
def flagship_path():
    return FLAGSHIP
