#!/usr/bin/env python3
"""One-at-a-time robustness of a scenario's expected labels to its global parameters.

Changes every calibrated global parameter (every key of the resolved scenario's `params:`
except the numerical ones: step, noise, logit_temperature, defence_step) by -25% and +25%,
one at a time, runs each change over a few seeds and counts the runs in which every label of
the scenario's `expect: labels:` block holds. Prints a table (parameter, change, share of
seeds that keep all labels, labels lost) and the overall share of runs; exits 1 when that
share is below the threshold (default 80%).

Python 3 standard library only. Example:
    python3 tools/robustness.py scenarios/asean_2016.yaml --seeds 3
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

NUMERICAL = {"step", "noise", "logit_temperature", "defence_step"}


def resolved_scenario(alignsim, scenario):
    """Runs the scenario once with --out and returns the text of scenario.resolved.yaml."""
    with tempfile.TemporaryDirectory() as out:
        subprocess.run([alignsim, "run", scenario, "--ticks", "1", "--out", out],
                       check=True, capture_output=True, text=True)
        with open(os.path.join(out, "scenario.resolved.yaml"), encoding="utf-8") as f:
            return f.read()


def read_params(resolved):
    """The `params:` mapping of a resolved scenario (flat `key: number` lines)."""
    params, inside = {}, False
    for line in resolved.splitlines():
        if re.match(r"^\S", line):
            inside = line.startswith("params:")
            continue
        m = re.match(r"^\s+([a-z_]+):\s*([-+0-9.eE]+)\s*$", line)
        if inside and m:
            params[m.group(1)] = float(m.group(2))
    return params


def read_expected_labels(resolved):
    """The (state, label) pairs of the resolved scenario's `expect: labels:` block."""
    block = resolved.split("\nexpect:", 1)[-1]
    return re.findall(r"\{state: ([a-z0-9_]+), label: ([a-z_]+)", block.split("facts:", 1)[0])


def labels_of(alignsim, scenario, seed, overrides):
    cmd = [alignsim, "run", scenario, "--json", "--seed", str(seed)]
    for path, value in overrides:
        cmd += ["--set", "%s=%.10g" % (path, value)]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        return None
    return {s["name"]: s["label"] for s in json.loads(r.stdout)["states"]}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("scenario", nargs="?", default="scenarios/asean_2016.yaml")
    ap.add_argument("--alignsim", default="build/tools/alignsim", help="the alignsim binary")
    ap.add_argument("--seeds", type=int, default=3, help="seeds per change (the scenario's seed, +1, ...)")
    ap.add_argument("--change", type=float, default=0.25, help="relative change (0.25 = ±25%%)")
    ap.add_argument("--threshold", type=float, default=0.80, help="required overall share")
    args = ap.parse_args()

    resolved = resolved_scenario(args.alignsim, args.scenario)
    params = read_params(resolved)
    expected = read_expected_labels(resolved)
    base_seed = int(re.search(r"^seed:\s*(\d+)", resolved, re.M).group(1))
    if not params or not expected:
        sys.exit("robustness.py: no params or no expected labels in %s" % args.scenario)
    seeds = [base_seed + k for k in range(args.seeds)]

    print("scenario %s; labels %s; %d seeds per change, ±%g%%" % (
        args.scenario, ", ".join("%s=%s" % e for e in expected), len(seeds), 100 * args.change))
    base_hits = 0
    for seed in seeds:
        got = labels_of(args.alignsim, args.scenario, seed, [])
        base_hits += got is not None and all(got.get(s) == l for s, l in expected)
    print("defaults: %d/%d seeds keep every label\n" % (base_hits, len(seeds)))

    print("%-30s %8s %10s %8s  %s" % ("parameter", "change", "value", "kept", "labels lost"))
    total = kept = 0
    for name, value in params.items():
        if name in NUMERICAL:
            continue
        for sign in (-1, 1):
            new = value * (1 + sign * args.change)
            hits, lost = 0, {}
            for seed in seeds:
                got = labels_of(args.alignsim, args.scenario, seed, [("params." + name, new)])
                if got is None:
                    lost["run failed (out of range?)"] = lost.get("run failed (out of range?)", 0) + 1
                    continue
                ok = True
                for state, label in expected:
                    if got.get(state) != label:
                        ok = False
                        key = "%s→%s" % (state, got.get(state))
                        lost[key] = lost.get(key, 0) + 1
                hits += ok
            total += len(seeds)
            kept += hits
            print("%-30s %+7.0f%% %10.4g %5d/%-2d  %s" % (
                name, 100 * sign * args.change, new, hits, len(seeds),
                ", ".join("%s (%d)" % kv for kv in sorted(lost.items()))))
    share = kept / total if total else 0.0
    print("\noverall: %d/%d runs (%.1f%%) keep every expected label; required %.0f%%" % (
        kept, total, 100 * share, 100 * args.threshold))
    return 0 if share >= args.threshold else 1


if __name__ == "__main__":
    sys.exit(main())
