#!/usr/bin/env bash
# Sets up (first run only), then builds and runs every test: the Catch2 suite, pytest, the
# command line's bad-input catalogue, the find_package consumer, the examples and the format
# check (preset dev), then the C++ tests again under AddressSanitizer + UBSan (preset asan).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
jobs=$(nproc)
cmake --preset dev >/dev/null
cmake --build --preset dev -j "$jobs"
ctest --preset dev -j "$jobs"
cmake --preset asan >/dev/null
cmake --build --preset asan -j "$jobs"
ctest --preset asan -j "$jobs"
