#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz/, clang, ASan + UBSan) into build-fuzz/ and runs each one from its
# committed corpus for FUZZ_SECONDS (default 20). convscope_core, the command-line library and the stb_image
# decoders compiled into core are instrumented with -fsanitize=fuzzer-no-link, so the coverage counts the
# code under test; Debian's libpng, libjpeg-turbo and giflib are not instrumented (their own fuzzing is
# upstream's, OSS-Fuzz).
#
# Prints one line per target: its final coverage (libFuzzer's cov: and ft: figures), the executions and the
# corpus size; exits 1 when a target found a crash, a leak, a timeout or an out-of-memory input.
#
#   ./scripts/fuzz.sh                         20 s per target (stage 3 of ./scripts/test.sh)
#   FUZZ_SECONDS=600 ./scripts/fuzz.sh        the release campaign: 10 minutes per target
#   FUZZ_TARGETS="image npy" ./scripts/fuzz.sh
#
# Each run starts from tests/fuzz/corpus/<target>/ in build-fuzz/corpus/<target>/, where libFuzzer adds the
# inputs that reached new code; findings land in build-fuzz/<target>-crash-* (or -leak-, -timeout-, -oom-).
# A finding, once fixed, goes into tests/fuzz/corpus/<target>/ so that every test run replays it.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ "${CONVSCOPE_SETUP_DONE:-0}" != 1 ]; then
  EXTRA_PACKAGES="clang libclang-rt-14-dev" source "$ROOT/scripts/setup.sh"
fi
JOBS="$(nproc 2>/dev/null || echo 2)"
FUZZ_DIR="$ROOT/build-fuzz"
SECONDS_PER_TARGET="${FUZZ_SECONDS:-20}"

# No fuzz target reaches the simd kernels (the command-line target parses without executing), and clang
# takes many minutes over the AVX-512 kernels under ASan + UBSan: the fuzz tree leaves them out.
source "$ROOT/scripts/compiler_cache.sh"
CC=clang CXX=clang++ cmake -S "$ROOT" -B "$FUZZ_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCONVSCOPE_BUILD_FUZZ=ON -DCONVSCOPE_SANITIZE=ON -DCONVSCOPE_SIMD=OFF ${COMPILER_CACHE[@]+"${COMPILER_CACHE[@]}"} >/dev/null
cmake --build "$FUZZ_DIR" -j "$JOBS" --target fuzzers

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
targets="${FUZZ_TARGETS:-}"
if [ -z "$targets" ]; then
  for f in "$FUZZ_DIR"/tests/fuzz/*_fuzzer; do targets+="$(basename "$f" _fuzzer) "; done
fi
found=0
for name in $targets; do
  fuzzer="$FUZZ_DIR/tests/fuzz/${name}_fuzzer"
  corpus="$FUZZ_DIR/corpus/$name"
  log="$FUZZ_DIR/$name.log"
  rm -rf "$corpus" && mkdir -p "$corpus"
  cp "$ROOT/tests/fuzz/corpus/$name/"* "$corpus/"
  # 1 GiB of tensor is the largest allocation the limits allow (core/support/limits.hpp); ASan adds its shadow.
  if "$fuzzer" -max_total_time="$SECONDS_PER_TARGET" -rss_limit_mb=2560 -malloc_limit_mb=1200 -timeout=10 \
      -print_final_stats=1 -artifact_prefix="$FUZZ_DIR/$name-" "$corpus" >"$log" 2>&1; then
    verdict="no findings"
  else
    verdict="FOUND A PROBLEM: see $log and $FUZZ_DIR/$name-*; once fixed, add it to tests/fuzz/corpus/$name/"
    found=1
  fi
  # The last status line, e.g. "#123456  DONE   cov: 1520 ft: 4210 corp: 312/40Kb exec/s: 6100 rss: 80Mb".
  status="$(grep -E '^#[0-9]+' "$log" | tail -1 || true)"
  cov="$(sed -nE 's/.* cov: ([0-9]+).*/\1/p' <<<"$status")"
  ft="$(sed -nE 's/.* ft: ([0-9]+).*/\1/p' <<<"$status")"
  corp="$(sed -nE 's/.* corp: ([0-9]+)\/.*/\1/p' <<<"$status")"
  runs="$(sed -nE 's/^stat::number_of_executed_units: *([0-9]+).*/\1/p' "$log" | tail -1)"
  echo "fuzz $name: cov ${cov:-?}, ft ${ft:-?}, ${runs:-?} executions in ${SECONDS_PER_TARGET} s, corpus ${corp:-?} inputs; $verdict"
  if [ "$verdict" != "no findings" ]; then tail -30 "$log"; fi
done
exit $found
