"""The module's surface: docstrings on everything public, stubs that name exactly what the C++
module defines, check() and memory that stays flat over 1,000 runs."""
import ast
import inspect
from pathlib import Path

import pytest

import alignsim
from alignsim import _core
from conftest import FLAGSHIP, SOURCE_DIR, cli


def test_every_public_name_has_a_docstring():
    for name in alignsim.__all__:
        obj = getattr(alignsim, name)
        if name == "__version__":
            continue
        assert inspect.getdoc(obj), name
        if inspect.isclass(obj):
            for member, value in vars(obj).items():
                if not member.startswith("_") and (callable(value) or isinstance(value, property)):
                    assert inspect.getdoc(value), f"{name}.{member}"
    assert issubclass(alignsim.InputError, ValueError)
    assert issubclass(alignsim.UsageError, ValueError)
    assert issubclass(alignsim.SimulationError, RuntimeError)
    assert alignsim.__version__ == cli("--version").stdout.split()[1]


def public_names(tree):
    names = {}
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            names[node.name] = {n.name for n in node.body if isinstance(n, ast.FunctionDef)}
        elif isinstance(node, ast.FunctionDef):
            names[node.name] = None
        elif isinstance(node, ast.AnnAssign):
            names[node.target.id] = None
    return names


def test_the_stub_names_exactly_what_the_extension_defines():
    stub = public_names(ast.parse((Path(alignsim.__file__).parent / "_core.pyi").read_text()))
    defined = {n for n in dir(_core) if not n.startswith("_") or n == "__version__"}
    assert set(stub) == defined
    for cls in ("Scenario", "Run"):
        members = {n for n in dir(getattr(_core, cls)) if not n.startswith("_")}
        assert stub[cls] == members, cls
    assert (Path(alignsim.__file__).parent / "py.typed").exists()


def test_check_counts_hits_like_the_cli():
    s = alignsim.load(FLAGSHIP)
    df = alignsim.check(s, seeds=3)
    assert list(df.columns) == ["kind", "expectation", "hits", "seeds", "required", "holds"]
    r = cli("check", FLAGSHIP, "--seeds", 3, check=False)
    assert r.returncode == (0 if df.holds.all() else 1)
    for row in df.itertuples():
        assert row.expectation in r.stdout
        assert f"{row.hits}/3" in r.stdout
        assert 0 <= row.hits <= 3 and row.seeds == 3


def rss_kib():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


def test_memory_stays_flat_over_1000_runs():
    s = alignsim.load(FLAGSHIP)

    def one(k):
        r = alignsim.run(s, seed=k, ticks=40)
        assert len(r.outcomes) == len(s.small_states)
        assert len(r.timeseries) > 0
        r.explain(s.small_states[0])

    for k in range(100):  # warm-up: pandas' caches, the allocator's arenas
        one(k)
    before = rss_kib()
    for k in range(1000):
        one(k)
    grown = rss_kib() - before
    assert grown < 8 * 1024, f"RSS grew by {grown} KiB over 1,000 runs"
