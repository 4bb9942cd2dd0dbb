#!/usr/bin/env bash
# Sets up (first run only), builds the command line and scores the sample bureau:
# every unit scored, graded, ranked, and each lost point explained.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake --preset dev >/dev/null
cmake --build --preset dev --target rectify_cli >/dev/null
build/dev/rectify score examples/data/scheme.json examples/data/units.csv --explain "$@"
