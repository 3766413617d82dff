"""Scenario.load/set/get/to_yaml: the same paths and values as the CLI's --set and
scenario.resolved.yaml."""
import math
from pathlib import Path

import pytest

import alignsim
from conftest import FLAGSHIP, SOURCE_DIR, cli


def first_key(group):
    """The first key of `group` in the model's schema whose range is not a single point."""
    keys = alignsim.models()[0]["keys"][group]
    return next(k for k in keys if k["max"] > k["min"] and math.isfinite(k["max"]))


def test_load_gives_the_cli_resolved_yaml(tmp_path):
    cli("run", FLAGSHIP, "--out", tmp_path)
    s = alignsim.load(FLAGSHIP)
    text = s.to_yaml()
    assert text == (tmp_path / "scenario.resolved.yaml").read_text()
    again = alignsim.load(text)
    assert again.to_yaml() == text
    assert again.file == "<string>"
    assert (s.name, s.states, s.focal, s.ticks, s.seed) == (again.name, again.states, again.focal, again.ticks, again.seed)
    assert set(s.small_states) < set(s.states)
    assert s.model in [m["name"] for m in alignsim.models()]
    assert "asean_2016" in repr(s)


def test_get_reads_what_set_wrote_and_what_the_file_says():
    s = alignsim.load(FLAGSHIP)
    key = first_key("states")
    path = f"states.{s.small_states[0]}.{key['key']}"
    value = s.get(path)
    assert key["min"] <= value <= key["max"]
    new = key["min"] + 0.3 * (key["max"] - key["min"]) if key["max"] < 1e6 else key["min"] + 0.5
    assert s.set(path, new) is s
    assert s.get(path) == new
    assert s.modified
    assert alignsim.load(s.to_yaml()).get(path) == new
    assert s.copy().get(path) == new


def test_rivalry_is_set_in_both_directions():
    s = alignsim.load(FLAGSHIP)
    a, b = s.focal, next(x for x in s.states if x != s.focal)
    s.set(f"relations.{a}.{b}.rivalry", 0.25)
    assert s.get(f"relations.{a}.{b}.rivalry") == 0.25
    assert s.get(f"relations.{b}.{a}.rivalry") == 0.25


def test_set_many_is_all_or_nothing():
    s = alignsim.load(FLAGSHIP)
    good = f"states.{s.small_states[0]}.{first_key('states')['key']}"
    before = s.to_yaml()
    with pytest.raises(alignsim.InputError) as e:
        s.set({good: s.get(good), "states.nowhere.gdp": 1.0})
    assert len(e.value.diagnostics) == 1
    assert s.to_yaml() == before and not s.modified


def test_bundled_scenarios_are_found_next_to_the_package():
    folder = Path(alignsim.bundled())
    assert (folder / "asean_2016.yaml").is_file()
    assert alignsim.load(alignsim.bundled("asean_2016.yaml")).to_yaml() == alignsim.load(FLAGSHIP).to_yaml()
    with pytest.raises(FileNotFoundError):
        alignsim.bundled("no_such_scenario.yaml")


def test_models_lists_the_registry_like_the_cli():
    text = cli("models").stdout
    ms = alignsim.models()
    assert [m["name"] for m in ms] == [line.split()[0] for line in text.splitlines() if line.strip()]
    for m in ms:
        assert m["labels"] and m["quantities"]
        assert set(m["keys"]) == {"params", "classifier", "states", "relations", "policies"}
        for group in m["keys"].values():
            for k in group:
                assert k["min"] <= k["default"] <= k["max"], k
