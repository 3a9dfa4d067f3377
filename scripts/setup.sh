#!/usr/bin/env bash
# Installs the Debian packages ConvScope needs that are missing, then configures and builds into build/.
# Sourced by run.sh and test.sh; `EXTRA_PACKAGES` adds packages, `BUILD_DIR` and `CMAKE_ARGS` steer the build.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config
  libglfw3-dev libimgui-dev python3-glad libstb-dev libcli11-dev nlohmann-json3-dev libgif-dev
  libfmt-dev  # structured errors rendered with checked {} placeholders (core/support/error.cpp)
  libpng-dev libjpeg62-turbo-dev  # image decoders (core/io/image_codecs.hpp); giflib above also decodes GIF
  zlib1g-dev  # the PNG encoder (core/io/image_png.cpp)
  libegl-dev libgl-dev libgl1-mesa-dri libegl-mesa0
  libegl1  # the gpu backend at run time: libEGL.so.1 (glvnd), Mesa's EGL (libegl-mesa0) and llvmpipe (libgl1-mesa-dri)
  catch2 xvfb xauth xdotool
  help2man librsvg2-bin gzip  # the man page and the icon's PNG sizes, made at build time (packaging/)
  desktop-file-utils appstream shared-mime-info libglib2.0-bin man-db file  # the install test's validators
  ${EXTRA_PACKAGES:-}
)

source "$(dirname "${BASH_SOURCE[0]}")/install.sh"
install_missing "${PACKAGES[@]}"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$ROOT/build}"
JOBS="$(nproc 2>/dev/null || echo 2)"
source "$ROOT/scripts/compiler_cache.sh"
cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-Release}" ${COMPILER_CACHE[@]+"${COMPILER_CACHE[@]}"} \
  ${CMAKE_ARGS:-} >/dev/null
cmake --build "$BUILD_DIR" -j "$JOBS"
