#!/usr/bin/env bash
# Builds the Debian package in build-deb/ (CPack's DEB generator, Depends from dpkg-shlibdeps, Debian's
# hardening flags from dpkg-buildflags), checks it with lintian (errors fail, warnings are listed), then unpacks
# it with `dpkg -x` into a temporary folder and runs the unpacked convscope: the command line and a Korean GUI
# screenshot. Prints the .deb's path; `apt install ./build-deb/convscope_*.deb` installs it.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# Debian's hardening: CMake reads CFLAGS/CXXFLAGS/LDFLAGS at the first configure, but not CPPFLAGS.
source "$ROOT/scripts/install.sh"
install_missing dpkg-dev
export DEB_BUILD_MAINT_OPTIONS="hardening=+all"
eval "$(dpkg-buildflags --export=sh)"
export CFLAGS="$CFLAGS $CPPFLAGS" CXXFLAGS="$CXXFLAGS $CPPFLAGS"
launcher=""
if command -v ccache >/dev/null; then
  launcher="-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache"
fi
EXTRA_PACKAGES="lintian fakeroot"
BUILD_DIR="$ROOT/build-deb"
CMAKE_ARGS="-DCMAKE_INSTALL_PREFIX=/usr -DCONVSCOPE_BUILD_TESTS=OFF $launcher"
source "$ROOT/scripts/setup.sh"

rm -f "$BUILD_DIR"/convscope_*.deb
(cd "$BUILD_DIR" && cpack -G DEB >cpack.log) || { cat "$BUILD_DIR/cpack.log"; exit 1; }
deb="$(ls "$BUILD_DIR"/convscope_*.deb)"
echo "== $deb"
dpkg-deb --field "$deb" Package Version Architecture Depends Recommends

echo "== lintian"
status=0
lintian --display-info --fail-on error "$deb" | tee "$BUILD_DIR/lintian.log" || status=1
echo "lintian: $(grep -c '^E:' "$BUILD_DIR/lintian.log" || true) errors, $(grep -c '^W:' "$BUILD_DIR/lintian.log" || true) warnings"

echo "== the unpacked package"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
dpkg -x "$deb" "$tmp/root"
mkdir "$tmp/elsewhere"
cd "$tmp/elsewhere"
exe="$tmp/root/usr/bin/convscope"
env -u CONVSCOPE_ASSETS "$exe" --version
env -u CONVSCOPE_ASSETS "$exe" shapes --input 1,1,28,28 "Conv2d(1,5,5)" "MaxPool2d(2)"
env -u CONVSCOPE_ASSETS "$exe" filter "$tmp/root/usr/share/convscope/camera.png" edges.png --kernel sobel-x \
  --padding same --map abs
file edges.png
if command -v xvfb-run >/dev/null; then
  env -u CONVSCOPE_ASSETS timeout 60 xvfb-run -a -s "-screen 0 1600x1000x24" "$exe" gui --lang ko --size 1280x800 \
    --frames 3 --screenshot "$BUILD_DIR/unpacked-ko.png"
  file "$BUILD_DIR/unpacked-ko.png"
  echo "screenshot of the unpacked app: $BUILD_DIR/unpacked-ko.png"
fi
if [ "$status" -ne 0 ]; then
  echo "lintian found errors (above)"
  exit 1
fi
echo "package: $deb"
