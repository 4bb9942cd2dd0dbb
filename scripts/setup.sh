#!/usr/bin/env bash
# Installs what rectify needs to build and test, and only what is missing, so it is cheap to
# run again: Debian's -dev packages for the C++ libraries, then a virtual environment (.venv)
# with the Python packages that pyproject.toml declares.
set -euo pipefail
cd "$(dirname "$0")/.."

debs=(g++ libeigen3-dev nlohmann-json3-dev catch2 libcli11-dev libcsv-dev libssl-dev libutf8proc-dev clang-format-14)
# Chinese text in plots and in the leaders' report (matplotlib and Chromium find the fonts through
# fontconfig); Chromium renders the report headless in the tests.
debs+=(fonts-noto-cjk fonts-dejavu-core chromium)
# The fuzzers (scripts/fuzz.sh): libFuzzer and clang's sanitizer runtimes, llvm-symbolizer for stacks.
debs+=(clang-14 libclang-rt-14-dev llvm-14)
command -v cmake >/dev/null 2>&1 || debs+=(cmake)
command -v ninja >/dev/null 2>&1 || debs+=(ninja-build)
command -v python3 >/dev/null 2>&1 || debs+=(python3 python3-venv python3-dev)

missing=()
for p in "${debs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The venv: runtime and test dependencies of pyproject.toml, plus pybind11 for the CMake build
# of the extension. A stamp of pyproject.toml's hash skips pip when nothing changed.
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
stamp=.venv/.rectify-deps
want=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  reqs=$(.venv/bin/python - <<'PY'
import tomllib
p = tomllib.load(open("pyproject.toml", "rb"))
reqs = list(p["project"]["dependencies"])
for group in p["project"].get("optional-dependencies", {}).values():  # every extra: the tests use them all
    reqs += group
reqs += [r for r in p["build-system"]["requires"]]
print("\n".join(reqs))
PY
)
  echo "setup: installing Python packages into .venv"
  mapfile -t req_array <<<"$reqs"
  .venv/bin/python -m pip install -q --disable-pip-version-check "${req_array[@]}"
  echo "$want" >"$stamp"
fi
