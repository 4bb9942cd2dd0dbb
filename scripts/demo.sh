#!/usr/bin/env bash
# Sets up (first run only), builds the command line and runs the sample bureau's main job:
# the rectification ledger is verified and its overdue measures listed; the 2026 三会一课 records,
# the satisfaction survey and the risk register are checked; their inputs (as of 2026-11-30) are
# joined with the unit data, and every unit is scored, graded, ranked and each lost point
# explained; last, the leaders' report (one self-contained HTML file) is written.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake --preset dev >/dev/null
cmake --build --preset dev --target rectify_cli rectify_python_files >/dev/null
rectify=build/dev/rectify
as_of=2026-11-30
$rectify ledger verify examples/data/ledger.json
$rectify ledger overdue examples/data/ledger.json --as-of "$as_of"
echo
$rectify meetings examples/data/meetings.csv --from 2026-01 --to 2026-11 --branches examples/data/branches.csv
echo
out=build/dev/sample
mkdir -p "$out"
$rectify ledger inputs examples/data/ledger.json --as-of "$as_of" >"$out/rect_inputs.csv"
$rectify meetings examples/data/meetings.csv --from 2026-01 --to 2026-11 --branches examples/data/branches.csv \
  --inputs >"$out/meeting_inputs.csv"
$rectify survey examples/data/survey.csv --inputs >"$out/survey_inputs.csv"
$rectify risks examples/data/risks.csv --as-of "$as_of" --inputs >"$out/risk_inputs.csv"
$rectify similar examples/data/documents --template examples/data/documents_template.txt
echo
$rectify similar examples/data/documents --template examples/data/documents_template.txt --inputs \
  >"$out/similar_inputs.csv"
$rectify score examples/data/scheme.json examples/data/units.csv "$out/rect_inputs.csv" "$out/meeting_inputs.csv" \
  "$out/survey_inputs.csv" "$out/risk_inputs.csv" "$out/similar_inputs.csv" --explain "$@"
echo
# `rectify report` runs the Python package's report (git-style); here, the build tree's package.
RECTIFY_PYTHON=.venv/bin/python PYTHONPATH=build/dev/python \
  $rectify report examples/data/scheme.json examples/data/units.csv --ledger examples/data/ledger.json \
  --meetings examples/data/meetings.csv --from 2026-01 --to 2026-11 --branches examples/data/branches.csv \
  --survey examples/data/survey.csv --risks examples/data/risks.csv --documents examples/data/documents \
  --template examples/data/documents_template.txt --as-of "$as_of" --out "$out/report.html"
echo "leaders' report: $out/report.html (open it in a browser, or print it on A4)"
