"""Per-call overhead of alignsim.run from Python against the same runs in the CLI's sweep
(docs/performance.md "Python"). Interleaves the set-ups for ROUNDS rounds and prints medians.

usage: PYTHONPATH=build/python /usr/bin/python3 tools/python_bench.py build/tools/alignsim [RUNS] [ROUNDS]
"""
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import alignsim

binary = sys.argv[1]
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 5
scenario_path = alignsim.bundled("asean_2016.yaml")
s = alignsim.load(scenario_path)
# One design point (the scenario's own value of one key) times `runs` replications: the CLI
# sweep runs exactly `runs` runs of the unchanged scenario, recording off, on one thread.
key = next(k for k in alignsim.models()[0]["keys"]["params"])["key"]
value = s.get(f"params.{key}")


def cli_sweep_seconds_per_run():
    with tempfile.TemporaryDirectory() as tmp:
        spec = Path(tmp) / "spec.yaml"
        spec.write_text(f"scenario: {scenario_path}\nreplications: {runs}\n"
                        f"parameters:\n  params.{key}: {{values: [{value!r}]}}\n")
        subprocess.run([binary, "sweep", str(spec), "--out", f"{tmp}/out", "--threads", "1", "--quiet"], check=True)
        manifest = json.loads(Path(f"{tmp}/out/manifest.json").read_text())
        timings = manifest["timings"]
        return 1.0 / timings["runs_per_second"]


def python_seconds_per_run(read_labels):
    t0 = time.perf_counter()
    for k in range(runs):
        r = alignsim.run(s, seed=k + 1, record=False)
        if read_labels:
            r.labels
    return (time.perf_counter() - t0) / runs


results = {"cli sweep (per run)": [], "alignsim.run": [], "alignsim.run + .labels": []}
for _ in range(rounds):
    results["cli sweep (per run)"].append(cli_sweep_seconds_per_run())
    results["alignsim.run"].append(python_seconds_per_run(False))
    results["alignsim.run + .labels"].append(python_seconds_per_run(True))
base = statistics.median(results["cli sweep (per run)"])
print(f"{runs} runs of {s.name}, {s.ticks} ticks, recording off, one thread; medians of {rounds} interleaved rounds")
for name, values in results.items():
    m = statistics.median(values)
    print(f"  {name:26s} {m * 1e3:8.3f} ms/run   {100 * (m / base - 1):+6.1f} %   (min {min(values) * 1e3:.3f})")
