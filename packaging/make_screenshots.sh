#!/bin/sh
# make_screenshots.sh CONVSCOPE OUT_DIR: the two AppStream screenshots the metainfo lists (1280×800), to be
# published under the home page's screenshots/ folder (CONVSCOPE_HOMEPAGE in packaging/CMakeLists.txt).
# Needs xvfb-run. Example: sh packaging/make_screenshots.sh build/app/convscope /tmp/screenshots
set -eu
exe="$1" out="$2"
assets="$(cd "$(dirname "$0")/../assets" && pwd)"
mkdir -p "$out"
run() { xvfb-run -a -s "-screen 0 1600x1000x24" "$exe" gui --size 1280x800 "$@"; }
# The stepper on the lecture's example, the fourth window done: its multiply-accumulate line spelled out.
run --theme light --step 4 --frames 3 --screenshot "$out/stepper.png"
# The image lab in Korean explaining one output pixel of Sobel x on the camera photo.
run "$assets/camera.png" --view image --lang ko --explain 100,120 --frames 30 --screenshot "$out/image-lab-ko.png"
