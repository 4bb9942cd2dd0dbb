#!/usr/bin/env bash
# `pip install .` into a fresh venv, as a user would: scikit-build-core builds the extension with
# the project's own CMake; then import rectify, score the sample DataFrame and run the installed
# `rectify` command line, whose `report` runs the installed `rectify-report` beside it (the venv is
# not activated, so it is not on PATH).   usage: pip_install.sh SOURCE_DIR WORK_DIR
set -euo pipefail
src=$1 work=$2
rm -rf "$work" && mkdir -p "$work"
python3 -m venv "$work/venv"
"$work/venv/bin/python" -m pip install -q --disable-pip-version-check "$src[plot]"
cd "$work"  # away from the source tree, so that the installed package is the one imported
"$work/venv/bin/python" - "$src" <<'PY'
import sys, pandas as pd, rectify
src = sys.argv[1]
scheme = rectify.Scheme.from_json(f"{src}/examples/data/scheme.json")
units = pd.read_csv(f"{src}/examples/data/units.csv").set_index("unit")
frame = scheme.score(units).to_frame()
assert len(frame) == len(units) and frame["rank"].min() == 1, frame
assert rectify.__file__.startswith(sys.prefix), rectify.__file__
print("pip install: scored", len(frame), "units; top:", frame["score"].idxmax())
PY
"$work/venv/bin/rectify" validate "$src/examples/data/scheme.json"
"$work/venv/bin/rectify" report "$src/examples/data/scheme.json" "$src/examples/data/units.csv" \
  --ledger "$src/examples/data/ledger.json" --as-of 2026-11-30 --out "$work/report.html"
grep -q "</html>" "$work/report.html"
echo "pip install: rectify report wrote $(wc -c <"$work/report.html") bytes"
