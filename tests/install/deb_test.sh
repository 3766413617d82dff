#!/usr/bin/env bash
# Install.deb (CTest): `cpack -G DEB` builds the Debian package; it is unpacked into a scratch
# root (dpkg -x) and its binary and Python module run from there; its dependencies name the
# shared libraries the binary links (dpkg-shlibdeps).
# usage: deb_test.sh BUILD_DIR PYTHON
set -euo pipefail
build=$1 python=$2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/alignsim_deb_XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

cpack --config "$build/CPackConfig.cmake" -G DEB -B "$tmp/pkg" >"$tmp/cpack.log" 2>&1 ||
  { cat "$tmp/cpack.log" >&2; fail "cpack -G DEB failed"; }
deb=$(ls "$tmp"/pkg/alignsim_*.deb) || fail "cpack made no .deb"
depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"
echo "$depends" | grep -q "libyaml-cpp" || fail "Depends lacks libyaml-cpp: $depends"
echo "$depends" | grep -q "python3-pandas" || fail "Depends lacks python3-pandas: $depends"
contents=$(dpkg-deb -c "$deb")
grep -q "./usr/bin/alignsim$" <<<"$contents" || fail "no /usr/bin/alignsim in the package"

dpkg -x "$deb" "$tmp/root"
mkdir "$tmp/elsewhere"
cd "$tmp/elsewhere"
"$tmp/root/usr/bin/alignsim" run asean_2016.yaml --json > "$tmp/cli.json"
env -u PYTHONHOME PYTHONPATH="$tmp/root/usr/lib/python3/dist-packages" PYTHONNOUSERSITE=1 "$python" - "$tmp" <<'PY'
import json, sys
tmp = sys.argv[1]
import alignsim
assert alignsim.__file__.startswith(tmp + "/root/usr/lib/python3/dist-packages/"), alignsim.__file__
run = alignsim.run(alignsim.load(alignsim.bundled("asean_2016.yaml")))
assert run.summary == json.load(open(tmp + "/cli.json"))
print("deb: the packaged binary and module agree on", len(run.summary["states"]), "states")
PY
