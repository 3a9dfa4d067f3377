#!/usr/bin/env bash
# Installs the Debian packages ConvScope needs that are missing, then configures and builds into build/.
# Sourced by run.sh and test.sh; `EXTRA_PACKAGES` adds packages, `BUILD_DIR` and `CMAKE_ARGS` steer the build.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config
  libglfw3-dev libimgui-dev python3-glad libstb-dev libcli11-dev nlohmann-json3-dev libgif-dev libhwy-dev
  libegl-dev libgl-dev libgl1-mesa-dri libegl-mesa0
  catch2 xvfb xauth xdotool
  ${EXTRA_PACKAGES:-}
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "convscope: installing ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q
  $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$ROOT/build}"
JOBS="$(nproc 2>/dev/null || echo 2)"
cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-Release}" ${CMAKE_ARGS:-} >/dev/null
cmake --build "$BUILD_DIR" -j "$JOBS"
