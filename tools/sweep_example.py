#!/usr/bin/env python3
"""Drive an alignsim sweep from Python with the standard library only.

Writes a sweep spec, runs `alignsim sweep`, reads points.csv and prints the phase diagram of
Cambodia's modal strategy over its dependence aversion (columns) and China's assertiveness
(rows). See docs/sweeps.md.

    python3 tools/sweep_example.py --alignsim build/tools/alignsim --out /tmp/phase

Any scripting language can do the same: write YAML, call the binary, read tidy CSV. For one
run, `alignsim run SCENARIO --set PATH=VALUE --json` prints one JSON object.
"""
import argparse
import csv
import os
import subprocess
import sys
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

# One letter per label, for a compact text picture.
LETTERS = {
    "bandwagoning": "B",
    "soft_bandwagoning": "S",
    "hedging": "H",
    "internal_balancing": "I",
    "external_balancing": "E",
    "soft_balancing": "b",
    "neutrality": "N",
}

X = "states.cambodia.dependence_aversion"
Y = "states.china.assertiveness"


def write_spec(path, steps, replications, ticks):
    """Writes a two-parameter grid spec over the ASEAN scenario."""
    scenario = os.path.join(ROOT, "scenarios", "asean_2016.yaml")
    with open(path, "w") as f:
        f.write(f"scenario: {scenario}\n")
        f.write("design: grid\n")
        f.write(f"replications: {replications}\n")
        f.write("seed: 2016\n")
        f.write(f"ticks: {ticks}\n")
        f.write("parameters:\n")
        f.write(f"  {X}: {{range: [0, 4.5], steps: {steps}}}\n")
        f.write(f"  {Y}: {{range: [0, 1], steps: {steps}}}\n")
        f.write("outputs:\n")
        f.write("  states: [cambodia]\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--alignsim", default=os.path.join(ROOT, "build", "tools", "alignsim"))
    ap.add_argument("--out", default="sweep_example_out", help="output folder (must not exist)")
    ap.add_argument("--steps", type=int, default=10)
    ap.add_argument("--replications", type=int, default=5)
    ap.add_argument("--ticks", type=int, default=150)
    ap.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    args = ap.parse_args()

    spec = args.out.rstrip("/") + ".spec.yaml"
    write_spec(spec, args.steps, args.replications, args.ticks)
    cmd = [args.alignsim, "sweep", spec, "--out", args.out, "--threads", str(args.threads)]
    done = subprocess.run(cmd)
    if done.returncode != 0:  # 2: bad spec (message on stderr), 130: interrupted
        sys.exit(done.returncode)

    # points.csv: one row per design point and state; the modal label is the phase.
    phase = {}
    with open(os.path.join(args.out, "points.csv"), newline="") as f:
        for row in csv.DictReader(f):
            phase[(float(row[X]), float(row[Y]))] = row["modal_label"]
    xs = sorted({x for x, _ in phase})
    ys = sorted({y for _, y in phase})
    print(f"Cambodia's modal strategy; rows: {Y}, columns: {X}")
    for y in reversed(ys):
        print(f"{y:6.2f}  " + " ".join(LETTERS.get(phase[(x, y)], "?") for x in xs))
    print("columns: " + ", ".join(f"{x:.3g}" for x in xs))
    counts = defaultdict(int)
    for label in phase.values():
        counts[label] += 1
    print("legend: " + ", ".join(f"{LETTERS[k]} {k} ({v} points)" for k, v in sorted(counts.items())))


if __name__ == "__main__":
    main()
