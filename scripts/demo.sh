#!/usr/bin/env bash
# Sets up (first run only), builds the command line and runs the sample bureau's main job:
# the rectification ledger is verified and its overdue measures listed, its inputs (as of
# 2026-11-30) are joined with the unit data, and every unit is scored, graded, ranked and each
# lost point explained.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake --preset dev >/dev/null
cmake --build --preset dev --target rectify_cli >/dev/null
rectify=build/dev/rectify
as_of=2026-11-30
$rectify ledger verify examples/data/ledger.json
$rectify ledger overdue examples/data/ledger.json --as-of "$as_of"
echo
$rectify ledger inputs examples/data/ledger.json --as-of "$as_of" >build/dev/rect_inputs.csv
$rectify score examples/data/scheme.json examples/data/units.csv build/dev/rect_inputs.csv --explain "$@"
