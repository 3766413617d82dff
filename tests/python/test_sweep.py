"""alignsim.sweep against `alignsim sweep`: byte-identical files, the same rows as DataFrames,
two sweeps from two Python threads at once, the GIL released, Ctrl-C then resume."""
import json
import os
import signal
import threading
import time

import pandas as pd
import pytest

import alignsim
from conftest import FLAGSHIP, cli, read_csv

FILES = ("runs.csv", "points.csv", "timeseries.csv", "sensitivity.csv")


def two_parameters():
    """Two parameters of the flagship with the middle of their ranges (from the model's schema)."""
    s = alignsim.load(FLAGSHIP)
    keys = alignsim.models()[0]["keys"]["states"]
    picked = [k for k in keys if k["max"] < 1e6 and k["max"] > k["min"]][:2]
    small = s.small_states
    return [(f"states.{small[n]}.{k['key']}", k["min"], k["min"] + 0.8 * (k["max"] - k["min"]))
            for n, k in enumerate(picked)]


def spec_file(tmp_path, params, design="grid", extra=""):
    lines = [f"scenario: {FLAGSHIP}", f"design: {design}", "replications: 2", "seed: 7", "ticks: 40", extra,
             "parameters:"]
    for path, lo, hi in params:
        lines.append(f"  {path}: {{range: [{lo!r}, {hi!r}]{', steps: 3' if design == 'grid' else ''}}}")
    lines += ["outputs:", "  policies: true", "  timeseries: true", "  timeseries_every: 10"]
    path = tmp_path / "spec.yaml"
    path.write_text("\n".join(lines) + "\n")
    return path


def files_of(folder):
    return {f: (folder / f).read_bytes() for f in FILES if (folder / f).exists()}


@pytest.mark.parametrize("design", ["grid", "sobol"])
def test_sweep_out_writes_the_cli_files_byte_for_byte(tmp_path, design):
    params = two_parameters()
    extra = "points: 4" if design == "sobol" else ""
    cli("sweep", spec_file(tmp_path, params, design, extra), "--out", tmp_path / "cli", "--threads", 2, "--quiet")
    levels = {p: ({"range": [lo, hi], "steps": 3} if design == "grid" else {"range": [lo, hi]}) for p, lo, hi in params}
    runs, points, summary = alignsim.sweep(
        alignsim.load(FLAGSHIP), levels, design=design, points=4 if design == "sobol" else None,
        replications=2, seed=7, ticks=40, threads=1, out=tmp_path / "py",
        outputs={"policies": True, "timeseries": True, "timeseries_every": 10}, progress=False)
    expected = files_of(tmp_path / "cli")
    assert set(expected) >= {"runs.csv", "points.csv", "timeseries.csv"}
    assert ("sensitivity.csv" in expected) == (design == "sobol")
    assert files_of(tmp_path / "py") == expected
    manifests = [json.loads((tmp_path / d / "manifest.json").read_text()) for d in ("cli", "py")]
    assert manifests[0]["fingerprint"] == manifests[1]["fingerprint"]
    assert manifests[1]["status"] == "complete"
    # the frames are the files' rows
    pd.testing.assert_frame_equal(runs, read_csv(tmp_path / "cli" / "runs.csv"), check_dtype=False)
    pd.testing.assert_frame_equal(points, read_csv(tmp_path / "cli" / "points.csv"), check_dtype=False)
    assert summary["runs_total"] == len(runs) / len(alignsim.load(FLAGSHIP).small_states)
    assert summary["runs_failed"] == 0 and not summary["interrupted"]


def test_spec_less_cli_sweep_equals_the_python_sweep(tmp_path):
    (p1, lo1, hi1), (p2, lo2, hi2) = two_parameters()
    cli("sweep", FLAGSHIP, "--param", f"{p1}={lo1!r}:{hi1!r}:3", "--param", f"{p2}={lo2!r},{hi2!r}",
        "--replications", 2, "--seed", 7, "--out", tmp_path / "cli", "--quiet")
    alignsim.sweep(FLAGSHIP, {p1: f"{lo1!r}:{hi1!r}:3", p2: [lo2, hi2]}, replications=2, seed=7,
                   out=tmp_path / "py", progress=False)
    assert files_of(tmp_path / "py") == files_of(tmp_path / "cli")
    bad = cli("sweep", FLAGSHIP, "--param", f"{p1}=1:2", "--out", tmp_path / "bad", check=False)
    assert bad.returncode == 2
    assert bad.stderr.startswith(f"--param: error: {p1}: expected LO:HI:STEPS")
    assert not (tmp_path / "bad").exists()


def test_without_out_uses_a_temporary_folder_and_the_scenario_as_changed():
    (p1, lo1, hi1), _ = two_parameters()
    s = alignsim.load(FLAGSHIP)
    other = [k for k in alignsim.models()[0]["keys"]["params"] if k["max"] > k["min"] and k["max"] < 1e6][0]
    s.set(f"params.{other['key']}", other["max"])
    runs, points, _ = alignsim.sweep(s, {p1: [lo1]}, replications=1, ticks=30, progress=False)
    direct = alignsim.run(s.set(p1, lo1), seed=int(runs["seed"][0]), ticks=30, record=False)
    got = runs.set_index("state")["label"].to_dict()
    assert got == direct.labels.set_index("state")["label"].to_dict()
    assert list(points["runs"].unique()) == [1]


def sweep_in_thread(params, results, key, out):
    results[key] = alignsim.sweep(FLAGSHIP, params, replications=2, ticks=40, threads=1, out=out, progress=False)


def test_two_python_threads_sweep_at_once(tmp_path):
    (p1, lo1, hi1), (p2, lo2, hi2) = two_parameters()
    jobs = {"a": {p1: f"{lo1!r}:{hi1!r}:4"}, "b": {p2: f"{lo2!r}:{hi2!r}:4"}}
    results = {}
    threads = [threading.Thread(target=sweep_in_thread, args=(jobs[k], results, k, tmp_path / k)) for k in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert set(results) == {"a", "b"}
    for k in jobs:
        sweep_in_thread(jobs[k], results, k + "_alone", tmp_path / (k + "_alone"))
        assert files_of(tmp_path / k) == files_of(tmp_path / (k + "_alone"))
        pd.testing.assert_frame_equal(results[k].runs, results[k + "_alone"].runs)


def test_the_gil_is_released_while_cpp_runs():
    (p1, lo1, hi1), _ = two_parameters()
    window = {}

    def work():
        window["start"] = time.monotonic()
        alignsim.sweep(FLAGSHIP, {p1: f"{lo1!r}:{hi1!r}:160"}, replications=4, threads=1, progress=False)
        window["end"] = time.monotonic()

    t = threading.Thread(target=work)
    ticks = []
    t.start()
    while t.is_alive():
        ticks.append(time.monotonic())
        time.sleep(0.001)
    t.join()
    start, end = window["start"] + 0.05, window["end"] - 0.05
    assert end - start > 0.2, "the sweep was too short to tell"
    inside = [x for x in ticks if start < x < end]
    assert len(inside) > 20, f"the main thread ran {len(inside)} times during {end - start:.2f} s of C++"


def test_ctrl_c_keeps_completed_points_and_resume_finishes(tmp_path):
    (p1, lo1, hi1), (p2, lo2, hi2) = two_parameters()
    params = {p1: f"{lo1!r}:{hi1!r}:30", p2: f"{lo2!r}:{hi2!r}:30"}
    out = tmp_path / "sweep"
    timer = threading.Timer(0.6, os.kill, (os.getpid(), signal.SIGINT))
    timer.start()
    with pytest.raises(KeyboardInterrupt):
        alignsim.sweep(FLAGSHIP, params, replications=3, ticks=60, threads=2, out=out, progress=False)
    timer.join()
    assert json.loads((out / "manifest.json").read_text())["status"] == "interrupted"
    runs, _, summary = alignsim.sweep(FLAGSHIP, params, replications=3, ticks=60, out=out, resume=True, progress=False)
    assert summary["runs_resumed"] > 0 and summary["runs_done"] == summary["runs_total"] == 2700
    assert runs["run_id"].is_monotonic_increasing and runs["run_id"].nunique() == 2700


def test_progress_reaches_the_total(tmp_path):
    tqdm = pytest.importorskip("tqdm")
    (p1, lo1, hi1), _ = two_parameters()
    seen = []

    class Bar:
        def __init__(self, total, **kw):
            self.total, self.n = total, 0

        def update(self, k):
            self.n += k
            seen.append(self.n)

        def close(self):
            seen.append("closed")

    import tqdm.auto
    original = tqdm.auto.tqdm
    tqdm.auto.tqdm = Bar
    try:
        alignsim.sweep(FLAGSHIP, {p1: f"{lo1!r}:{hi1!r}:5"}, replications=2, ticks=20, progress=True)
    finally:
        tqdm.auto.tqdm = original
    assert seen and seen[-1] == "closed" and seen[-2] == 10
