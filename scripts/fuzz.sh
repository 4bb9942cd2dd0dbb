#!/usr/bin/env bash
# Fuzzes every reader (docs/hardening.md, "Fuzzing"): builds the `fuzz` preset (clang 14,
# libFuzzer + ASan + UBSan), then runs each target for SECONDS (default 60) on a scratch copy of
# its seed corpus and the inputs fuzzers found before (tests/fuzz/corpus/<name>,
# tests/fuzz/regressions/<name>). Prints per target the runs, execs/s, corpus size and the new
# coverage, and ends with a one-line summary.
#
#   bash scripts/fuzz.sh [SECONDS]          # every target
#   RECTIFY_FUZZ_TARGETS="units_csv documents" bash scripts/fuzz.sh 30
#
# Exit 1 on any finding: a crash, an uncaught exception, a broken invariant (abort), a leak, a
# timeout (one input over 10 s), running out of memory (2 GiB) or any sanitizer report. The
# input that did it is kept in build/fuzz/findings/<name>/; once fixed, it goes into
# tests/fuzz/regressions/<name>/ so that the replay tests keep it fixed. Exit 2 on bad usage or
# a build that fails.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

seconds=${1:-60}
if ! [[ "$seconds" =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: scripts/fuzz.sh [SECONDS-PER-TARGET]  (a whole number >= 1, default 60)" >&2
  exit 2
fi
all_targets="scheme_json ledger_json units_csv meetings_csv survey_csv risks_csv documents ahp_matrix meeting_rules_json"
targets=${RECTIFY_FUZZ_TARGETS:-$all_targets}
for t in $targets; do
  if ! [[ " $all_targets " == *" $t "* ]]; then
    echo "fuzz: unknown target '$t' (targets: $all_targets)" >&2
    exit 2
  fi
done

echo "fuzz: building the fuzz preset (clang 14, libFuzzer + ASan + UBSan)"
if ! cmake --preset fuzz >/dev/null || ! cmake --build --preset fuzz; then
  echo "fuzz: the build failed" >&2
  exit 2
fi

build=$root/build/fuzz
scratch=$(mktemp -d "${TMPDIR:-/tmp}/rectify-fuzz.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
# Leaks are findings; a sanitizer report stops the run with the input kept (UBSan aborts on the
# first report since the preset compiles with -fno-sanitize-recover=all).
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
sym=$(command -v llvm-symbolizer-14 || command -v llvm-symbolizer || true)
[ -n "$sym" ] && export ASAN_SYMBOLIZER_PATH=$sym

failed=()
total_runs=0
total_new=0
stat() { sed -n "s/^stat::$1: *//p" "$2" | tail -n 1; }
for t in $targets; do
  corpus=$scratch/$t
  findings=$build/findings/$t
  mkdir -p "$corpus" "$findings"
  cp "$root/tests/fuzz/corpus/$t"/* "$corpus"/ 2>/dev/null
  cp "$root/tests/fuzz/regressions/$t"/* "$corpus"/ 2>/dev/null
  seeds=$(find "$corpus" -type f | wc -l)
  dict=()
  case $t in
    *_json) dict=(-dict="$root/tests/fuzz/json.dict") ;;
    *_csv | ahp_matrix) dict=(-dict="$root/tests/fuzz/csv.dict") ;;
  esac
  log=$scratch/$t.log
  "$build/tests/fuzz/fuzz_$t" "$corpus" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -max_len=65536 -print_final_stats=1 -artifact_prefix="$findings/" "${dict[@]}" >"$log" 2>&1
  rc=$?
  runs=$(stat number_of_executed_units "$log")
  rate=$(stat average_exec_per_sec "$log")
  new=$(stat new_units_added "$log")
  cov0=$(grep -m1 -o 'INITED cov: [0-9]*' "$log" | grep -o '[0-9]*$')
  cov1=$(grep -o ' cov: [0-9]*' "$log" | tail -n 1 | grep -o '[0-9]*$')
  size=$(find "$corpus" -type f | wc -l)
  total_runs=$((total_runs + ${runs:-0}))
  total_new=$((total_new + ${new:-0}))
  bad=""
  if [ "$rc" -ne 0 ]; then bad="exit $rc"; fi
  if grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:|SUMMARY: (Address|Undefined|Leak)|fuzz: (invariant|unexpected)' "$log"; then
    bad=${bad:-"sanitizer report"}
  fi
  printf 'fuzz: %-19s %ss  runs %-9s %6s exec/s  corpus %s -> %s files  new units %s  cov %s -> %s%s\n' \
    "$t" "$seconds" "${runs:-?}" "${rate:-?}" "$seeds" "$size" "${new:-?}" "${cov0:-?}" "${cov1:-?}" \
    "${bad:+  FINDING ($bad)}"
  if [ -n "$bad" ]; then
    failed+=("$t")
    echo "---- $t: the end of libFuzzer's output ----"
    tail -n 60 "$log"
    echo "---- the input is in $findings/ ----"
    ls -1 "$findings"
  fi
done

count=$(echo $targets | wc -w)
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: FAILED: ${#failed[@]} of $count targets had findings (${failed[*]}); $total_runs runs, ${seconds}s each"
  exit 1
fi
echo "fuzz: OK: $count targets, ${seconds}s each, $total_runs runs, $total_new new corpus units, no finding"
exit 0
