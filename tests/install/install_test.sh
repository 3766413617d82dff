#!/usr/bin/env bash
# Install.prefix (CTest): `cmake --install` into a temporary prefix, then use only that prefix:
# a consumer project with find_package(alignsim) runs asean_2016; the installed Python module
# imports with only the prefix on PYTHONPATH; the installed binary, run from another folder,
# finds its bundled scenarios relative to itself, and has no source path compiled in.
# usage: install_test.sh BUILD_DIR SOURCE_DIR PYTHON PYTHON_INSTALL_DIR
set -euo pipefail
build=$1 source=$2 python=$3 pydir=$4
tmp=$(mktemp -d "${TMPDIR:-/tmp}/alignsim_install_XXXXXX")
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix
fail() { echo "FAIL: $*" >&2; exit 1; }

cmake --install "$build" --prefix "$prefix" >/dev/null
for f in bin/alignsim lib/libalignsim_sim.a lib/libalignsim_models.a include/alignsim/sim/engine.hpp \
         lib/cmake/alignsim/alignsimConfig.cmake share/alignsim/scenarios/asean_2016.yaml \
         share/doc/alignsim/README.md "$pydir/alignsim/__init__.py"; do
  [ -e "$prefix/$f" ] || fail "not installed: $f"
done
ls "$prefix/$pydir"/alignsim/_core*.so >/dev/null || fail "the Python extension is not installed"

# The consumer: configured against the prefix only, no path into the source or build tree.
cmake -S "$source/tests/install/consumer" -B "$tmp/consumer" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build "$tmp/consumer" -j2 >/dev/null
"$tmp/consumer/consumer" > "$tmp/consumer.txt"

mkdir "$tmp/elsewhere"
cd "$tmp/elsewhere"
# The installed binary from another folder: a bundled scenario by its bundled name.
"$prefix/bin/alignsim" run asean_2016.yaml --json > "$tmp/cli.json"
"$prefix/bin/alignsim" run scenarios/asean_2016.yaml > /dev/null
if grep -qaF "$source/scenarios" "$prefix/bin/alignsim"; then fail "the binary has the source path $source/scenarios compiled in"; fi

# The installed Python module, with only the prefix on PYTHONPATH.
env -u PYTHONHOME PYTHONPATH="$prefix/$pydir" PYTHONNOUSERSITE=1 "$python" - "$prefix" "$tmp" <<'PY'
import json, sys
prefix, tmp = sys.argv[1], sys.argv[2]
import alignsim
assert alignsim.__file__.startswith(prefix), alignsim.__file__
assert alignsim.bundled().startswith(prefix), alignsim.bundled()
run = alignsim.run(alignsim.load(alignsim.bundled("asean_2016.yaml")))
cli = json.load(open(tmp + "/cli.json"))
assert run.summary == cli, "Python and the installed binary disagree"
consumer = [line.split() for line in open(tmp + "/consumer.txt")]
assert consumer == [[s["name"], s["label"]] for s in cli["states"]], (consumer, cli["states"])
print("installed:", len(consumer), "states agree across the consumer, the binary and Python")
PY
