#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test through CTest (unit, golden, CLI, GPU on Mesa's llvmpipe
# through EGL, and the GUI smoke test under xvfb-run).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$BUILD_DIR"
ctest --output-on-failure -j "$JOBS" "$@"
