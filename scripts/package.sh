#!/usr/bin/env bash
# Builds the Debian package in build-deb/ (CPack's DEB generator, Depends from dpkg-shlibdeps, Debian's
# hardening flags from dpkg-buildflags), checks it with lintian (errors fail, warnings are listed), then unpacks
# it with `dpkg -x` into a temporary folder and runs the unpacked convscope: the command line and a Korean GUI
# screenshot. Prints the .deb's path; `apt install ./build-deb/convscope_*.deb` installs it.
# `--fresh-debian` then also installs it with apt into a fresh Debian 12 (debootstrap, minbase; as root, needs the
# network to deb.debian.org or DEBIAN_MIRROR), runs the menu entry's command there on a photo under Xvfb
# (build-deb/fresh-debian.png), and removes it again.
set -euo pipefail
fresh=0
case "${1:-}" in
  --fresh-debian) fresh=1 ;;
  "") ;;
  *) echo "usage: $0 [--fresh-debian]" >&2; exit 2 ;;
esac
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
chroot_dir=""
cleanup() {
  rm -rf "$tmp"
  if [ -n "$chroot_dir" ]; then
    umount "$chroot_dir/proc" 2>/dev/null || true
    rm -rf "$chroot_dir"
  fi
}
trap cleanup EXIT
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

if [ "$fresh" = 1 ]; then
  echo "== apt install on a fresh Debian 12"
  [ "$(id -u)" -eq 0 ] || { echo "--fresh-debian needs root (debootstrap, chroot)"; exit 1; }
  install_missing debootstrap
  chroot_dir="$(mktemp -d /tmp/convscope-fresh-debian-XXXXXX)"
  chmod 755 "$chroot_dir"  # apt in there downloads as _apt
  debootstrap --variant=minbase bookworm "$chroot_dir" "${DEBIAN_MIRROR:-http://deb.debian.org/debian}" \
    >"$BUILD_DIR/debootstrap.log" 2>&1 || { tail "$BUILD_DIR/debootstrap.log"; exit 1; }
  mount -t proc proc "$chroot_dir/proc"  # convscope finds its share folder through /proc/self/exe
  cp /etc/resolv.conf "$chroot_dir/etc/resolv.conf"
  cp "$deb" "$chroot_dir/tmp/"
  # The menu entry's command line, %f being a photo the file manager passed.
  exec_line="$(sed -n 's/^Exec=//p' "$tmp/root/usr/share/applications/org.convscope.ConvScope.desktop")"
  exec_line="${exec_line/\%f//usr/share/convscope/chelsea.png}"
  chroot "$chroot_dir" /bin/sh -eu -c "
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >/dev/null
    apt-get install -y -q /tmp/$(basename "$deb") >/tmp/apt.log 2>&1 || { tail /tmp/apt.log; exit 1; }
    if ldd /usr/bin/convscope | grep 'not found'; then exit 1; fi
    cd / && convscope --version
    apt-get install -y -q --no-install-recommends xvfb xauth >/dev/null 2>&1
    timeout 60 xvfb-run -a -s '-screen 0 1600x1000x24' $exec_line --lang ko --size 1280x800 --frames 30 \
      --screenshot /tmp/fresh-debian.png
    apt-get remove -y -q convscope >/dev/null
    ! test -e /usr/share/convscope"
  cp "$chroot_dir/tmp/fresh-debian.png" "$BUILD_DIR/fresh-debian.png"
  file "$BUILD_DIR/fresh-debian.png"
  echo "installed, run from its menu entry's command ($exec_line) and removed on a fresh Debian 12:" \
    "$BUILD_DIR/fresh-debian.png"
fi
echo "package: $deb"
