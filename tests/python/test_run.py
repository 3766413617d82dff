"""alignsim.run against `alignsim run --out` for the same scenario and seed: exact equality of
labels, features, time series, summary and explanations (no model numbers written here)."""
import json

import numpy as np
import pytest

import alignsim
from conftest import FLAGSHIP, cli, read_csv


@pytest.fixture(scope="module")
def cli_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("cli_run")
    cli("run", FLAGSHIP, "--seed", 3, "--out", out)
    return out


@pytest.fixture(scope="module")
def py_run():
    return alignsim.run(alignsim.load(FLAGSHIP), seed=3)


def test_labels_and_features_equal_the_cli(cli_run, py_run):
    summary = json.loads((cli_run / "summary.json").read_text())
    outcomes = py_run.outcomes
    assert list(outcomes["state"]) == [s["name"] for s in summary["states"]]
    assert list(outcomes["label"]) == [s["label"] for s in summary["states"]]
    assert list(outcomes["motive"]) == [s["motive"] for s in summary["states"]]
    assert list(outcomes["reason"]) == [s["reason"] for s in summary["states"]]
    features = list(summary["states"][0]["features"])
    assert features, "the model reports features"
    assert list(outcomes.columns) == ["state", "label", "motive", "reason", *features]
    for row, st in zip(outcomes.itertuples(index=False), summary["states"]):
        for f in features:
            assert getattr(row, f) == st["features"][f]  # exact: same double
    assert list(py_run.labels.columns) == ["state", "label", "motive"]
    assert list(py_run.labels["label"]) == list(outcomes["label"])


def test_summary_is_the_cli_summary(cli_run, py_run):
    assert py_run.summary == json.loads((cli_run / "summary.json").read_text())
    assert py_run.seed == 3
    assert py_run.ticks == alignsim.load(FLAGSHIP).ticks
    assert py_run.events == [(e["tick"], e["name"]) for e in py_run.summary["events"]]


def test_timeseries_equals_timeseries_csv_exactly(cli_run, py_run):
    expected = read_csv(cli_run / "timeseries.csv")
    got = py_run.timeseries
    assert list(got.columns) == ["tick", "state", "partner", "quantity", "value"]
    assert len(got) == len(expected) > 0
    assert np.array_equal(got["tick"].to_numpy(), expected["tick"].to_numpy())
    for col in ("state", "partner", "quantity"):
        assert (got[col].astype(str).to_numpy() == expected[col].astype(str).to_numpy()).all(), col
    assert np.array_equal(got["value"].to_numpy(), expected["value"].to_numpy())
    assert got["value"].dtype == np.float64


def test_explain_equals_explain_json(cli_run, py_run):
    expected = {s["name"]: s for s in json.loads((cli_run / "explain.json").read_text())["states"]}
    assert expected
    for name, e in expected.items():
        got = py_run.explain(name)
        assert got["state"] == name and got["tick"] == py_run.ticks and got["seed"] == 3
        assert got["terms"] == e["terms"]
        assert got["by_partner"] == e["by_partner"]
        assert got["reasons"] == e["reasons"]
        assert got["label"] == py_run.outcomes.set_index("state").loc[name, "label"]


def test_explain_at_a_tick_reruns_to_that_tick():
    s = alignsim.load(FLAGSHIP)
    full = alignsim.run(s, seed=2, record=False)
    early = full.explain("cambodia", tick=20)
    assert early["tick"] == 20
    assert early == alignsim.run(s, seed=2, ticks=20, record=False).explain("cambodia")
    # the CLI prints the same terms rounded to 4 decimals
    text = cli("explain", FLAGSHIP, "--state", "cambodia", "--tick", 20, "--seed", 2).stdout
    for term, v in early["terms"].items():
        assert f"{term}" in text and f"{v:.4f}" in text, term
    with pytest.raises(ValueError, match="unknown state 'cambodja'.*did you mean 'cambodia'"):
        full.explain("cambodja")
    with pytest.raises(ValueError, match="tick must be in"):
        full.explain("cambodia", tick=0)


def test_set_and_ticks_equal_cli_set_and_ticks(tmp_path):
    cli("run", FLAGSHIP, "--seed", 5, "--ticks", 60, "--set", "states.cambodia.dependence_aversion=3.25",
        "--out", tmp_path)
    s = alignsim.load(FLAGSHIP).set("states.cambodia.dependence_aversion", 3.25)
    r = alignsim.run(s, seed=5, ticks=60)
    assert r.summary == json.loads((tmp_path / "summary.json").read_text())
    expected = read_csv(tmp_path / "timeseries.csv")
    assert np.array_equal(r.timeseries["value"].to_numpy(), expected["value"].to_numpy())
    assert s.to_yaml() != alignsim.load(FLAGSHIP).to_yaml()
    # the run took a snapshot: later changes do not reach it
    before = r.summary
    s.set("states.cambodia.dependence_aversion", 0.0)
    assert r.summary == before


def test_default_seed_is_the_scenarios_and_record_false_keeps_no_series():
    s = alignsim.load(FLAGSHIP)
    r = alignsim.run(s, record=False)
    assert r.seed == s.seed
    assert r.summary == json.loads(cli("run", FLAGSHIP, "--json").stdout)
    with pytest.raises(ValueError, match="record=True"):
        r.timeseries
    assert alignsim.run(FLAGSHIP, record=False).summary == r.summary  # a path works too
    with pytest.raises(ValueError, match="ticks must be at least 1"):
        alignsim.run(s, ticks=0)
    with pytest.raises(TypeError):
        alignsim.run(s, seed=-1)


def test_the_landscape_model_runs_like_the_cli(tmp_path):
    # The second model through the same API: sides as labels, no qualifiers, the energy as a
    # model-level series with no state.
    europe = str(FLAGSHIP).replace("asean_2016.yaml", "landscape/europe_1936.yaml")
    cli("run", europe, "--out", tmp_path)
    summary = json.loads((tmp_path / "summary.json").read_text())
    run = alignsim.run(alignsim.load(europe))
    assert list(run.labels.columns) == ["state", "label"]
    assert list(run.labels["label"]) == [s["label"] for s in summary["states"]]
    assert set(run.labels["label"]) <= {"side_a", "side_b"}
    assert len(run.labels) == 17
