"""alignsim from Python: load a scenario, change it, run it, sweep it, check it.

    >>> import alignsim
    >>> s = alignsim.load(alignsim.bundled("asean_2016.yaml"))
    >>> s.set("states.cambodia.dependence_aversion", 2.0)
    >>> run = alignsim.run(s, seed=1)
    >>> run.labels                      # pandas DataFrame: state, label, motive
    >>> runs, points = alignsim.sweep(s, {"states.cambodia.dependence_aversion": "0:4.5:10"})

The engine is the C++ one the ``alignsim`` command runs (same paths, same errors, same numbers
for the same seed); it runs with the GIL released. Bad input raises :class:`InputError` (a
``ValueError``) whose message is the CLI's ``file:line:col: error: ...`` text. docs/python.md.
"""
from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, List, Mapping, NamedTuple, Optional, Sequence, Union

from . import _core
from ._core import InputError, SimulationError, UsageError

__version__: str = _core.__version__
__all__ = [
    "InputError", "UsageError", "SimulationError", "Scenario", "Run", "SweepResult",
    "load", "run", "sweep", "check", "models", "bundled", "__version__",
]

PathLike = Union[str, "os.PathLike[str]"]


def _pandas():
    import pandas  # imported on first use: `import alignsim` stays fast

    return pandas


def bundled(name: str = "") -> str:
    """The path of a scenario bundled with alignsim, e.g. ``bundled("asean_2016.yaml")`` or
    ``bundled("classroom/...")``; ``bundled()`` is the folder itself.

    Looked up relative to this package: ``<prefix>/share/alignsim/scenarios`` for an installed
    package (``<prefix>/lib/python3/dist-packages/alignsim``), ``<build>/share/alignsim/scenarios``
    in a build tree (``<build>/python/alignsim``). Raises FileNotFoundError when absent.
    """
    here = Path(__file__).resolve().parent
    for root in (here.parents[1], here.parents[3] if len(here.parents) > 3 else None):
        if root is None:
            continue
        folder = root / "share" / "alignsim" / "scenarios"
        if folder.is_dir():
            path = folder / name if name else folder
            if not path.exists():
                raise FileNotFoundError(f"no bundled scenario '{name}' in {folder}")
            return str(path)
    raise FileNotFoundError("the bundled scenarios (share/alignsim/scenarios) were not found next to " + str(here))


class Scenario:
    """A validated scenario: every key resolved, every default filled (see :func:`load`).

    Change it with :meth:`set` (the paths of ``alignsim run --set``), read it with :meth:`get`,
    write it with :meth:`to_yaml`. A run or a sweep takes a snapshot: changing the scenario
    afterwards changes neither.
    """

    __slots__ = ("_s",)

    def __init__(self, core: "_core.Scenario") -> None:
        self._s = core

    @property
    def name(self) -> str:
        """The scenario's name (its ``name:`` key, else the file's stem)."""
        return self._s.name

    @property
    def file(self) -> str:
        """The file it was loaded from ("<string>" for text)."""
        return self._s.file

    @property
    def model(self) -> str:
        """The model's name, e.g. ``alignment``."""
        return self._s.model

    @property
    def ticks(self) -> int:
        """The number of ticks a run lasts."""
        return self._s.ticks

    @property
    def seed(self) -> int:
        """The scenario's seed: what :func:`run` uses when given no seed."""
        return self._s.seed

    @property
    def states(self) -> List[str]:
        """Every state's name, in scenario order."""
        return self._s.states

    @property
    def small_states(self) -> List[str]:
        """The small states (the ones labelled), in scenario order."""
        return self._s.small_states

    @property
    def focal(self) -> str:
        """The focal power: the labels are strategies towards it."""
        return self._s.focal

    @property
    def modified(self) -> bool:
        """True once :meth:`set` changed the scenario since it was loaded."""
        return self._s.modified

    def set(self, path: Union[str, Mapping[str, float]], value: Optional[float] = None) -> "Scenario":
        """Sets one value, ``set("states.cambodia.dependence_aversion", 2.0)``, or several,
        ``set({path: value, ...})``, exactly as ``alignsim run --set PATH=VALUE`` does: the
        same paths (``params.K``, ``classifier.K``, ``states.S.K``, ``states.S.K.T``,
        ``relations.S.T.K``), the same range checks, ``rivalry`` set in both directions.

        All or nothing: on any bad path or value nothing changes and :class:`InputError` lists
        every problem (``--set: error: PATH: message``). Returns the scenario, for chaining.
        """
        if isinstance(path, Mapping):
            if value is not None:
                raise TypeError("set(mapping) takes no value")
            items = [(str(k), float(v)) for k, v in path.items()]
        else:
            if value is None:
                raise TypeError("set(path, value): value is missing")
            items = [(str(path), float(value))]
        self._s.set_many(items)
        return self

    def get(self, path: str) -> float:
        """The current value at ``path`` (the paths of :meth:`set`); :class:`InputError` for an
        unknown path."""
        return self._s.get(path)

    def to_yaml(self) -> str:
        """The scenario as YAML with every key and default spelled out; loading it gives the
        same scenario (numbers are written so they read back exactly)."""
        return self._s.to_yaml()

    def copy(self) -> "Scenario":
        """An independent copy."""
        return Scenario(self._s.copy())

    def __repr__(self) -> str:
        return (f"<alignsim.Scenario {self.name!r}: {len(self.states)} states, {self.ticks} ticks, "
                f"model {self.model}{', modified' if self.modified else ''}>")


def load(source: Union[PathLike, str]) -> Scenario:
    """Loads and validates a scenario: a file path (``str`` or ``pathlib.Path``), or the YAML
    text itself (a ``str`` holding a newline that is not an existing file's name).

    Raises :class:`InputError` listing every problem at once, with the same
    ``file:line:col: error: ...`` lines as ``alignsim validate`` (``<string>`` as the file name
    for text).
    """
    if isinstance(source, os.PathLike):
        return Scenario(_core.load_file(os.fspath(source)))
    if not isinstance(source, str):
        raise TypeError(f"load() takes a path or YAML text, not {type(source).__name__}")
    if "\n" in source and not os.path.exists(source):
        return Scenario(_core.load_text(source, "<string>"))
    return Scenario(_core.load_file(source))


def _scenario_core(scenario: Union[Scenario, PathLike]) -> "_core.Scenario":
    if isinstance(scenario, Scenario):
        return scenario._s
    return load(scenario)._s


class Run:
    """One finished run (see :func:`run`). Tables are built on first access."""

    __slots__ = ("_r", "_outcomes", "_timeseries")

    def __init__(self, core: "_core.Run") -> None:
        self._r = core
        self._outcomes = None
        self._timeseries = None

    @property
    def seed(self) -> int:
        """The seed the run used."""
        return self._r.seed

    @property
    def ticks(self) -> int:
        """The number of ticks run."""
        return self._r.ticks

    @property
    def events(self) -> List[tuple]:
        """The events applied, as (tick, name)."""
        return [tuple(e) for e in self._r.events]

    @property
    def outcomes(self):
        """One row per labelled state (the alignment model: each small state): ``state,
        label``, the model's qualifiers (the alignment model: ``motive``), ``reason`` and then
        every feature the model's classifier read (its names come from the model), as a pandas
        DataFrame."""
        return _pandas().DataFrame(self._columns())

    @property
    def labels(self):
        """``state, label`` and the model's qualifiers (the alignment model: ``motive``) for
        every labelled state (a pandas DataFrame)."""
        c = self._columns()
        names = list(c)
        kept = names[: names.index("reason")]  # state, label, then the qualifiers
        return _pandas().DataFrame({k: c[k] for k in kept})

    def _columns(self) -> Dict[str, list]:
        if self._outcomes is None:
            self._outcomes = self._r.outcome_columns()
        return self._outcomes

    @property
    def timeseries(self):
        """The per-tick observables as a tidy pandas DataFrame ``tick, state, partner,
        quantity, value`` in the rows and order of ``timeseries.csv`` (``partner`` is "" for
        monadic quantities); built from NumPy arrays, no CSV. Needs ``record=True``."""
        if not self._r.recorded:
            raise ValueError("this run kept no time series: run it with record=True")
        if self._timeseries is None:
            pd = _pandas()
            c = self._r.timeseries_columns()
            states = list(c["states"])
            partner = c["partner"].copy()
            partner[partner < 0] = len(states)
            self._timeseries = pd.DataFrame({
                "tick": c["tick"],
                "state": pd.Categorical.from_codes(c["state"], states),
                "partner": pd.Categorical.from_codes(partner, states + [""]),
                "quantity": pd.Categorical.from_codes(c["quantity"], list(c["quantities"])),
                "value": c["value"],
            })
        return self._timeseries.copy()

    @property
    def summary(self) -> Dict[str, Any]:
        """What ``alignsim run --json`` prints, as a dict (scenario, seed, ticks, focal_power,
        states with label, motive, reason and features, events)."""
        return json.loads(self._r.summary_json())

    def explain(self, state: str, tick: Optional[int] = None) -> Dict[str, Any]:
        """Why ``state`` does what it does: its utility decomposition (``terms``), the same by
        partner (``by_partner``), its label, motive and the classifier's ``reason``, and the
        model's ``reasons`` — at the end of the run, or after ``tick`` ticks (re-run with the
        same seed), as ``alignsim explain --state S --tick T`` prints."""
        return self._r.explain(state, tick)

    def __repr__(self) -> str:
        return f"<alignsim.Run {self._r.scenario_name!r} seed {self.seed}, {self.ticks} ticks>"


def run(scenario: Union[Scenario, PathLike], seed: Optional[int] = None, ticks: Optional[int] = None,
        record: bool = True) -> Run:
    """Runs a scenario (a :class:`Scenario` or a path) to its end and returns the :class:`Run`.

    ``seed``: default the scenario's seed, as ``alignsim run``; ``ticks``: shorten the run
    (events past the end are dropped), as ``--ticks``; ``record=False`` keeps no time series
    (faster; what sweeps do). The same scenario and seed give exactly the numbers of
    ``alignsim run --seed SEED --out DIR``. The GIL is released while it runs.
    """
    return Run(_core.run(_scenario_core(scenario), seed, ticks, record))


class SweepResult(NamedTuple):
    """What :func:`sweep` returns: ``runs, points = alignsim.sweep(...)``."""

    runs: Any     # runs.csv: one row per run x state
    points: Any   # points.csv: one row per design point x state (the phase diagram)
    summary: Dict[str, Any]


def _parameter_spec(path: str, how: Any) -> Dict[str, Any]:
    if isinstance(how, str):  # "LO:HI:STEPS" or "v1,v2,..." as `alignsim sweep --param`
        if ":" in how:
            parts = how.split(":")
            if len(parts) != 3:
                raise ValueError(f"parameter {path}: expected 'LO:HI:STEPS', got {how!r}")
            return {"range": [float(parts[0]), float(parts[1])], "steps": int(parts[2])}
        return {"values": [float(v) for v in how.split(",")]}
    if isinstance(how, Mapping):
        return dict(how)
    if how is None:
        return None
    if isinstance(how, Iterable):
        return {"values": [float(v) for v in how]}
    return {"values": [float(how)]}


def _progress_bar(total: int, progress: Optional[bool]):
    if progress is False:
        return None
    try:
        from tqdm.auto import tqdm
    except ImportError:
        return None
    interactive = ("ipykernel" in sys.modules) or getattr(sys.stderr, "isatty", lambda: False)()
    if progress is None and not interactive:
        return None
    return tqdm(total=total, unit="run")


def sweep(scenario: Union[Scenario, PathLike], parameters: Mapping[str, Any], design: str = "grid",
          replications: int = 5, threads: Optional[int] = None, out: Optional[PathLike] = None,
          seed: Optional[int] = None, ticks: Optional[int] = None, points: Optional[int] = None,
          samples: Optional[PathLike] = None, outputs: Optional[Mapping[str, Any]] = None,
          resume: bool = False, progress: Optional[bool] = None) -> SweepResult:
    """Sweeps a scenario over ``parameters`` and returns ``(runs, points, summary)``: the rows
    of ``runs.csv`` and ``points.csv`` as pandas DataFrames, and the sweep's counts.

    ``parameters`` maps a scenario path to its levels: a list of values, ``"LO:HI:STEPS"`` (a
    grid range, as ``alignsim sweep --param``), or a dict of the spec's keys (``{"range": [lo,
    hi], "steps": k, "log": True}``, ``{"values": [...]}``); docs/sweeps.md. ``design``:
    grid | random | lhs | sobol | samples (``points``, ``samples`` as in the spec);
    ``seed`` (default the scenario's), ``ticks``, ``outputs`` (the spec's ``outputs:``).

    ``threads`` (default: all cores) run on the CLI's pool with the GIL released. With ``out``
    the folder gets exactly the files ``alignsim sweep`` writes (byte-identical ``runs.csv``,
    ``points.csv``, ...; ``resume=True`` continues one); without, a temporary folder is used.
    A tqdm progress bar is shown when tqdm is installed and stderr is a terminal or this is a
    notebook (``progress=True/False`` forces it). Ctrl-C keeps the completed points in ``out``
    and raises KeyboardInterrupt.
    """
    base = _scenario_core(scenario)
    if not isinstance(parameters, Mapping) or not parameters:
        raise ValueError("parameters must be a non-empty mapping of scenario paths to levels")
    spec: Dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="alignsim_sweep_") as tmp:
        # The sweep runs this scenario as it is now (a snapshot, like run()), whatever its file says.
        scenario_file = os.path.join(tmp, "scenario.yaml")
        with open(scenario_file, "w", encoding="utf-8") as f:
            f.write(base.to_yaml())
        spec["scenario"] = scenario_file
        spec["design"] = design
        if points is not None:
            spec["points"] = int(points)
        if samples is not None:
            spec["samples"] = os.path.abspath(os.fspath(samples))
        spec["replications"] = int(replications)
        if seed is not None:
            spec["seed"] = int(seed)
        if ticks is not None:
            spec["ticks"] = int(ticks)
        spec["parameters"] = {str(p): _parameter_spec(str(p), how) for p, how in parameters.items()}
        if outputs is not None:
            spec["outputs"] = dict(outputs)
        text = json.dumps(spec, indent=1)  # JSON is YAML: the spec loader reads it as written
        out_dir = os.fspath(out) if out is not None else os.path.join(tmp, "out")
        n_threads = _core.cores() if threads is None else int(threads)
        callback: Optional[Callable[[int, int], None]] = None
        state: Dict[str, Any] = {}
        if progress is not False:

            def callback(done: int, total: int) -> None:
                if "bar" not in state:
                    state["bar"] = _progress_bar(total, progress)
                if state["bar"] is not None:
                    state["bar"].update(done - state["bar"].n)

        try:
            summary = _core.sweep(text, "sweep", out_dir, n_threads, resume, callback)
        finally:
            if state.get("bar") is not None:
                state["bar"].close()
        pd = _pandas()
        runs = pd.read_csv(os.path.join(out_dir, "runs.csv"), float_precision="round_trip",
                           keep_default_na=False, na_values=[""])
        pts = pd.read_csv(os.path.join(out_dir, "points.csv"), float_precision="round_trip",
                          keep_default_na=False, na_values=[""])
    return SweepResult(runs, pts, summary)


def check(scenario: Union[Scenario, PathLike], seeds: int = 20):
    """Runs the scenario's ``expect:`` block over ``seeds`` seeds (the scenario's seed, +1, ...)
    as ``alignsim check`` does; a pandas DataFrame with one row per expectation: ``kind``
    (label | fact), ``expectation``, ``hits``, ``seeds``, ``required`` (rate), ``holds``.
    ``df.holds.all()`` is the CLI's exit code 0. Empty when there is no ``expect:`` block."""
    rows = _core.check(_scenario_core(scenario), int(seeds))
    return _pandas().DataFrame(rows, columns=["kind", "expectation", "hits", "seeds", "required", "holds"])


def models() -> List[Dict[str, Any]]:
    """The registered models: name, description, labels, observable quantities and
    ``keys``: every scenario key by group (params, classifier, states, relations, policies)
    with its default, min, max, unit and doc, as docs/scenario-format.md lists them."""
    return _core.models()
