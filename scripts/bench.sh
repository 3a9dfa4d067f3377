#!/usr/bin/env bash
# Builds and runs the benchmark (tests/bench/, not part of the test suite) and its peers in the same run, then
# prints ONE table of every case with ratios and copy bounds, followed by the details (scripts/bench_table.py):
#   - ConvScope's simd backend against cv::filter2D (1-channel images, 3-channel photos), the copy bound, the CNN
#     layers, and the measured FMA peak (tests/bench/convscope_bench, Google Benchmark);
#   - PyTorch's conv2d on the same layer shapes with the same thread count, and `convscope filter` on a 12 MP
#     JPEG against OpenCV's imread + filter2D + imwrite (scripts/bench_peers.py).
# Installs libbenchmark-dev, libopencv-dev, python3-opencv and python3-torch when missing. Builds into
# build-bench/, apart from build/. REPS (default 3) repeats every benchmark; the table uses medians.
# --quick: every-thread runs only (no single-thread or reference runs), fewer repetitions: a few minutes.
# Other arguments go to the benchmark, e.g. --benchmark_filter=image/. The gpu backend's benchmarks run only with
# GPU=1 (on Mesa's llvmpipe they take many minutes and say nothing about a real GPU).
set -euo pipefail

QUICK=""
ARGS=()
for a in "$@"; do
  if [ "$a" = "--quick" ]; then QUICK="--quick"; else ARGS+=("$a"); fi
done

PACKAGES=(build-essential cmake ninja-build libbenchmark-dev libopencv-dev python3-opencv python3-torch)
source "$(dirname "${BASH_SOURCE[0]}")/install.sh"
install_missing "${PACKAGES[@]}"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$ROOT/build-bench}"
LAUNCHER=()
if command -v ccache >/dev/null; then
  LAUNCHER=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
fi
cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCONVSCOPE_BUILD_BENCH=ON \
  -DCONVSCOPE_BUILD_TESTS=OFF -DCONVSCOPE_BUILD_APP=ON "${LAUNCHER[@]}" >/dev/null
cmake --build "$BUILD_DIR" --target convscope_bench convscope -j "${JOBS:-2}"

echo "load average before the run: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs"
REPS="${REPS:-$([ -n "$QUICK" ] && echo 3 || echo 5)}"
FILTER=()
if [ "${GPU:-0}" != 1 ] && [[ " ${ARGS[*]-} " != *" --benchmark_filter="* ]]; then
  FILTER=(--benchmark_filter=-/gpu/)
fi
"$BUILD_DIR/tests/bench/convscope_bench" $QUICK --benchmark_repetitions="$REPS" \
  --benchmark_out="$BUILD_DIR/bench.json" --benchmark_out_format=json \
  ${FILTER[@]+"${FILTER[@]}"} ${ARGS[@]+"${ARGS[@]}"}
# Debian's python3 (with python3-torch and python3-opencv), not a virtual environment's.
PYTHON=python3
if [ -x /usr/bin/python3 ]; then PYTHON=/usr/bin/python3; fi
"$PYTHON" "$ROOT/scripts/bench_peers.py" "$BUILD_DIR/peers.json" "$BUILD_DIR/app/convscope" $QUICK
echo "load average after the run: $(cut -d' ' -f1-3 /proc/loadavg)"
"$PYTHON" "$ROOT/scripts/bench_table.py" "$BUILD_DIR/bench.json" --peers "$BUILD_DIR/peers.json"
