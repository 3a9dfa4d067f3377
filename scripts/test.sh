#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test:
#   1. the Release build's CTest suite (unit, PyTorch goldens, CLI, GPU on Mesa's llvmpipe through EGL, the GUI
#      smoke test under xvfb-run, fuzz-corpus replays);
#   2. the same suite built with AddressSanitizer + UndefinedBehaviorSanitizer (build-asan/);
#   3. each libFuzzer target for a bounded time (scripts/fuzz.sh: build-fuzz/, clang), printing its coverage.
# CONVSCOPE_QUICK=1 runs stage 1 only; FUZZ_SECONDS sets stage 3's time per target (default 20).
# Extra arguments go to the stage-1 ctest (e.g. -R golden).
set -euo pipefail
EXTRA_PACKAGES="clang libclang-rt-14-dev" source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"

# Totals over the stages, printed last as "total: P passed, F failed".
passed=0 failed=0
count_ctest() {  # adds a ctest log's "… tests failed out of N" to the totals
  local line n f
  line="$(grep -E "tests passed, [0-9]+ tests failed out of [0-9]+" "$1" | tail -1)"
  n="$(sed -E 's/.* out of ([0-9]+).*/\1/' <<<"$line")"
  f="$(sed -E 's/.*passed, ([0-9]+) tests failed.*/\1/' <<<"$line")"
  passed=$((passed + n - f)) failed=$((failed + f))
}

echo "== stage 1: tests (Release)"
(cd "$BUILD_DIR" && ctest --output-on-failure -j "$JOBS" "$@") | tee "$BUILD_DIR/ctest.log"
count_ctest "$BUILD_DIR/ctest.log"
if [ "${CONVSCOPE_QUICK:-0}" = 1 ]; then
  echo "total: $passed passed, $failed failed"
  exit 0
fi

echo "== stage 2: tests under AddressSanitizer + UndefinedBehaviorSanitizer"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:strict_string_checks=1"
export LSAN_OPTIONS="suppressions=$ROOT/tests/sanitizer/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
ASAN_DIR="$ROOT/build-asan"
cmake -S "$ROOT" -B "$ASAN_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCONVSCOPE_SANITIZE=ON \
  ${COMPILER_CACHE[@]+"${COMPILER_CACHE[@]}"} >/dev/null
cmake --build "$ASAN_DIR" -j "$JOBS"
(cd "$ASAN_DIR" && ctest --output-on-failure -j "$JOBS") | tee "$ASAN_DIR/ctest.log"
count_ctest "$ASAN_DIR/ctest.log"

echo "== stage 3: fuzzing (libFuzzer, clang, ASan + UBSan; scripts/fuzz.sh)"
# One line per target with its final coverage and executions; a target with a finding counts as failed.
status=0
mkdir -p "$ROOT/build-fuzz"
CONVSCOPE_SETUP_DONE=1 "$ROOT/scripts/fuzz.sh" | tee "$ROOT/build-fuzz/summary.log" || status=1
passed=$((passed + $(grep -c '; no findings$' "$ROOT/build-fuzz/summary.log" || true)))
failed=$((failed + $(grep -c 'FOUND A PROBLEM' "$ROOT/build-fuzz/summary.log" || true)))
echo "total: $passed passed, $failed failed"
exit $status
