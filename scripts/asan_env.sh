#!/usr/bin/env bash
# Runs a command in the environment ctest gives the "python: pytest" test of a build folder:
# for the asan preset that is the sanitized `_core` on PYTHONPATH, gcc's libasan and libstdc++ in
# LD_PRELOAD, ASAN_OPTIONS/UBSAN_OPTIONS, PYTHONMALLOC=malloc and RECTIFY_SANITIZED=1. The
# environment is read from ctest itself (tests/CMakeLists.txt is the one place it is defined), so
# this cannot drift from what CI runs. Use it to rerun one test file or one test under the
# sanitizers, e.g.
#   cd tests/python && ../../scripts/asan_env.sh ../../build/asan python -m pytest -q test_text.py -k normalize
# (`python` is the interpreter the build was configured with; pass its full path if it is not
# first on PATH).
set -euo pipefail
if [[ $# -lt 2 ]]; then
  echo "usage: $0 BUILD_DIR COMMAND [ARG...]   (BUILD_DIR: a configured build, e.g. build/asan)" >&2
  exit 2
fi
build=$1
shift
if [[ ! -f "$build/CTestTestfile.cmake" ]]; then
  echo "$0: $build is not a configured build folder (no CTestTestfile.cmake); run cmake --preset asan first" >&2
  exit 2
fi
mapfile -d '' vars < <(ctest --test-dir "$build" -R '^python: pytest$' --show-only=json-v1 | python3 -c '
import json, sys
tests = json.load(sys.stdin)["tests"]
if len(tests) != 1:
    sys.exit("no \"python: pytest\" test in this build (configure it with RECTIFY_BUILD_PYTHON=ON)")
for prop in tests[0].get("properties", []):
    if prop["name"] == "ENVIRONMENT":
        for item in prop["value"]:
            sys.stdout.write(item + "\0")
')
exec env "${vars[@]}" "$@"
