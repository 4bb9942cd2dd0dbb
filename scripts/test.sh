#!/usr/bin/env bash
# Sets up (first run only), then builds and runs every test: the Catch2 suite, pytest, the
# command line's bad-input catalogue, the find_package consumer, the examples and the format
# check (preset dev); then the fuzzers (scripts/fuzz.sh); then the C++ tests and pytest again
# under AddressSanitizer + UBSan (preset asan, the Python extension instrumented too).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
jobs=$(nproc)
cmake --preset dev >/dev/null
cmake --build --preset dev -j "$jobs"
ctest --preset dev -j "$jobs"
# Every reader under libFuzzer for 45 s each (clang, ASan + UBSan); fails on any finding.
bash scripts/fuzz.sh 45
cmake --preset asan >/dev/null
cmake --build --preset asan -j "$jobs"
ctest --preset asan -j "$jobs"
