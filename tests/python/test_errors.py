"""Every bad input is an alignsim.InputError (a ValueError) whose message is exactly what the
CLI prints on stderr for the same input (`file:line:col: error: ...`); nothing crashes."""
import math
import re

import pytest

import alignsim
from conftest import FLAGSHIP, cli

BASE = alignsim.load(FLAGSHIP).to_yaml()  # valid with whatever the model is today


def sub_first(pattern, replacement, text=BASE):
    new, n = re.subn(pattern, replacement, text, count=1, flags=re.M)
    assert n == 1, f"no match for {pattern!r}: the test's mutation would not change anything"
    return new


def finite_state_key():
    keys = alignsim.models()[0]["keys"]["states"]
    return next(k for k in keys if math.isfinite(k["max"]) and re.search(rf"^    {k['key']}: ", BASE, re.M))


def state_names():
    return re.findall(r"^  - name: (\S+)$", BASE, re.M)


BAD_FILES = {
    "empty": lambda: "",
    "yaml_syntax": lambda: sub_first(r"^states:$", "states: [\n"),
    "top_level_list": lambda: "- a\n- b\n",
    "unknown_top_key": lambda: BASE + "bogus_key: 1\n",
    "negative_ticks": lambda: sub_first(r"^ticks: .*$", "ticks: -3"),
    "ticks_not_a_number": lambda: sub_first(r"^ticks: .*$", "ticks: many"),
    "negative_seed": lambda: sub_first(r"^seed: .*$", "seed: -1"),
    "unknown_model": lambda: sub_first(r"^model: .*$", "model: nosuchmodel"),
    "unknown_focal_power": lambda: sub_first(r"^focal_power: .*$", "focal_power: atlantis"),
    "unknown_update_order": lambda: sub_first(r"^update: .*$", "update: sometimes"),
    "unknown_role": lambda: sub_first(r"^    role: great_power$", "    role: emperor"),
    "duplicate_state": lambda: sub_first(rf"^  - name: {state_names()[1]}$", f"  - name: {state_names()[0]}"),
    "state_key_not_a_number": lambda: sub_first(rf"^    {finite_state_key()['key']}: .*$",
                                                f"    {finite_state_key()['key']}: abc"),
    "state_key_out_of_range": lambda: sub_first(rf"^    {finite_state_key()['key']}: .*$",
                                                f"    {finite_state_key()['key']}: {2 * finite_state_key()['max'] + 1}"),
    "unknown_state_key": lambda: sub_first(r"^    role: great_power$", "    role: great_power\n    charisma: 3"),
    "relation_to_unknown_state": lambda: sub_first(r"(from|between): \[?\w+", r"\1: atlantis"),
    "bad_indentation": lambda: sub_first(r"^  - name: ", "\t- name: "),
    "several_problems_at_once": lambda: sub_first(r"^seed: .*$", "seed: -1", sub_first(r"^ticks: .*$", "ticks: many")),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_scenario_file_raises_the_cli_diagnostics(case, tmp_path):
    path = tmp_path / f"{case}.yaml"
    path.write_text(BAD_FILES[case]())
    r = cli("validate", path, check=False)
    assert r.returncode == 2, (case, r.stdout, r.stderr)
    with pytest.raises(alignsim.InputError) as e:
        alignsim.load(str(path))
    assert isinstance(e.value, ValueError)
    assert str(e.value) == r.stderr.rstrip("\n")
    assert re.match(rf"^{re.escape(str(path))}(:\d+:\d+)?: error: ", str(e.value)), str(e.value)
    assert len(e.value.diagnostics) == len(str(e.value).splitlines())
    file, line, column, _, message = e.value.diagnostics[0]
    assert file == str(path) and message and line >= 0 and column >= 0
    with pytest.raises(alignsim.InputError) as again:  # the same file given as a Path
        alignsim.load(path)
    assert str(again.value) == str(e.value)


def test_missing_file(tmp_path):
    path = tmp_path / "nowhere.yaml"
    r = cli("validate", path, check=False)
    with pytest.raises(alignsim.InputError) as e:
        alignsim.load(str(path))
    assert r.returncode == 2 and str(e.value) == r.stderr.rstrip("\n")


def test_bad_text_names_the_string(tmp_path):
    text = sub_first(r"^ticks: .*$", "ticks: -3")
    (tmp_path / "<string>").write_text(text)
    r = cli("validate", "<string>", cwd=tmp_path, check=False)
    with pytest.raises(alignsim.InputError) as e:
        alignsim.load(text)
    assert r.returncode == 2 and str(e.value) == r.stderr.rstrip("\n")
    assert str(e.value).startswith("<string>:")


def set_cases():
    s = alignsim.load(FLAGSHIP)
    key = finite_state_key()
    small = s.small_states[0]
    return {
        "unknown_state": (f"states.atlantis.{key['key']}", 1),
        "unknown_key": (f"states.{small}.charisma", 1),
        "out_of_range": (f"states.{small}.{key['key']}", 2 * key["max"] + 1),
        "unknown_group": ("weather.rain", 1),
        "unknown_param": ("params.no_such_param", 1),
        "relation_of_unknown_state": (f"relations.{small}.atlantis.rivalry", 0.5),
        "not_a_number": (f"states.{small}.{key['key']}", math.nan),
    }


@pytest.mark.parametrize("case", sorted(set_cases()))
def test_bad_set_raises_the_cli_diagnostics(case):
    path, value = set_cases()[case]
    text = "nan" if math.isnan(value) else repr(value).removesuffix(".0")
    r = cli("run", FLAGSHIP, "--ticks", 1, "--set", f"{path}={text}", check=False)
    assert r.returncode == 2, r.stderr
    with pytest.raises(alignsim.InputError) as e:
        alignsim.load(FLAGSHIP).set(path, value)
    assert str(e.value) == r.stderr.rstrip("\n")
    assert str(e.value).startswith(f"--set: error: {path}: ")


def test_get_of_an_unknown_path():
    with pytest.raises(alignsim.InputError, match=r"^get: error: states\.atlantis\.gdp: unknown state 'atlantis'"):
        alignsim.load(FLAGSHIP).get("states.atlantis.gdp")


def test_bad_sweeps_raise_input_error_naming_the_parameter(tmp_path):
    s = alignsim.load(FLAGSHIP)
    small = s.small_states[0]
    spec = finite_state_key()
    key, ok = spec["key"], [spec["min"], spec["max"]]
    with pytest.raises(alignsim.InputError, match=r"^sweep: error: states\.atlantis\." + key + ": unknown state"):
        alignsim.sweep(s, {f"states.atlantis.{key}": ok}, replications=1)
    with pytest.raises(alignsim.InputError, match=r"^sweep: error: replications"):
        alignsim.sweep(s, {f"states.{small}.{key}": ok}, replications=0)
    with pytest.raises(alignsim.InputError, match=r"^sweep: error: design"):
        alignsim.sweep(s, {f"states.{small}.{key}": ok}, design="zigzag")
    with pytest.raises(ValueError, match="LO:HI:STEPS"):
        alignsim.sweep(s, {f"states.{small}.{key}": "0:1"})
    with pytest.raises(ValueError, match="non-empty mapping"):
        alignsim.sweep(s, {})
    # out= holding another sweep: a UsageError (a ValueError), and the folder is untouched
    out = tmp_path / "taken"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    with pytest.raises(alignsim.UsageError):
        alignsim.sweep(s, {f"states.{small}.{key}": ok[:1]}, replications=1, out=out)
    assert [p.name for p in out.iterdir()] == ["keep.txt"]


def test_wrong_types_are_type_errors():
    with pytest.raises(TypeError):
        alignsim.load(42)
    with pytest.raises(TypeError):
        alignsim.load(FLAGSHIP).set("params.x")
    with pytest.raises(ValueError):
        alignsim.load(FLAGSHIP).set("params.x", "not a number")
    with pytest.raises(ValueError, match="seeds must be at least 1"):
        alignsim.check(alignsim.load(FLAGSHIP), seeds=0)
