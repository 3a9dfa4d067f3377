#!/usr/bin/env bash
# Builds and runs the benchmark (tests/bench/, not part of the test suite): simd against cv::filter2D and the
# reference, CNN layers, and the measured FMA peak; then prints the ratios (scripts/bench_table.py).
# Installs libbenchmark-dev and libopencv-dev when missing. Builds into build-bench/, apart from build/.
# REPS (default 3) repeats every benchmark; the table uses each one's fastest repetition, the least disturbed
# by other work on the machine. Extra arguments go to the benchmark, e.g. --benchmark_filter=image/.
set -euo pipefail

PACKAGES=(build-essential cmake ninja-build libbenchmark-dev libopencv-dev)
source "$(dirname "${BASH_SOURCE[0]}")/install.sh"
install_missing "${PACKAGES[@]}"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$ROOT/build-bench}"
cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCONVSCOPE_BUILD_BENCH=ON \
  -DCONVSCOPE_BUILD_TESTS=OFF -DCONVSCOPE_BUILD_APP=OFF >/dev/null
cmake --build "$BUILD_DIR" --target convscope_bench -j "${JOBS:-2}"

"$BUILD_DIR/tests/bench/convscope_bench" --benchmark_repetitions="${REPS:-3}" \
  --benchmark_out="$BUILD_DIR/bench.json" --benchmark_out_format=json "$@"
PYTHON=python3
if [ -x /usr/bin/python3 ]; then PYTHON=/usr/bin/python3; fi
"$PYTHON" "$ROOT/scripts/bench_table.py" "$BUILD_DIR/bench.json"
