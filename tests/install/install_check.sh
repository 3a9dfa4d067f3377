#!/bin/sh
# The installed app as a user gets it: `cmake --install` into an empty prefix, the prefix moved elsewhere
# (relocatable), then the installed convscope run from another folder with CONVSCOPE_ASSETS unset: the command
# line, a Korean GUI screenshot, and the same with the installed fonts taken away (it must fall back to the
# built-in font, not find the source tree's). The installed desktop entry, AppStream metadata, MIME type, man
# page and bash completion are checked with their validators.
# Usage: install_check.sh BUILD_DIR SOURCE_DIR
set -u
build="$1" src="$2"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
ok() { echo "ok: $*"; }
need() {  # need COMMAND PACKAGE
    command -v "$1" >/dev/null 2>&1 || { echo "FAIL: $1 is missing (Debian package $2; scripts/setup.sh installs it)"; exit 1; }
}
need desktop-file-validate desktop-file-utils
need appstreamcli appstream
need update-mime-database shared-mime-info
need man man-db
unset CONVSCOPE_ASSETS

# 1. Install, then move the prefix: nothing may point back at where it was installed, nor at the source tree.
if ! cmake --install "$build" --prefix "$tmp/first" >"$tmp/install.log" 2>&1; then
    cat "$tmp/install.log"
    echo "FAIL: cmake --install"
    exit 1
fi
mv "$tmp/first" "$tmp/moved"
P="$tmp/moved"
exe="$P/bin/convscope"
id=org.convscope.ConvScope
for f in bin/convscope share/convscope/camera.png share/convscope/chelsea.png share/convscope/LICENSES.md \
    share/convscope/fonts/DejaVuSans.ttf share/convscope/fonts/DejaVuSans.LICENSE.txt \
    share/convscope/fonts/NanumGothic.ttf share/convscope/fonts/NanumGothic.LICENSE.txt \
    share/applications/$id.desktop share/metainfo/$id.metainfo.xml share/mime/packages/convscope.xml \
    share/icons/hicolor/scalable/apps/$id.svg share/icons/hicolor/16x16/apps/$id.png \
    share/icons/hicolor/48x48/apps/$id.png share/icons/hicolor/256x256/apps/$id.png \
    share/icons/hicolor/512x512/apps/$id.png share/man/man1/convscope.1.gz \
    share/bash-completion/completions/convscope share/doc/convscope/copyright share/doc/convscope/changelog.gz; do
    [ -f "$P/$f" ] || fail "installed $f"
done
if [ -d "$src/assets/lessons" ]; then
    [ -d "$P/share/convscope/lessons" ] || fail "installed share/convscope/lessons/"
fi
file "$P/share/icons/hicolor/48x48/apps/$id.png" | grep -q "48 x 48" || fail "the 48×48 icon is 48×48"
ok "installed files"

# 2. The command line, from another folder.
mkdir "$tmp/elsewhere"
cd "$tmp/elsewhere" || exit 1
[ "$("$exe" --version)" = "convscope $(sed -n 's/^project(ConvScope VERSION \([0-9.]*\).*/\1/p' "$src/CMakeLists.txt")" ] ||
    fail "convscope --version prints the project's version"
[ "$("$exe" size 64 --kernel 7 --stride 2 --json)" = '{"out_h":29,"out_w":29,"exact_h":29.5,"exact_w":29.5}' ] ||
    fail "convscope size 64 --kernel 7 --stride 2 --json"
if "$exe" filter "$P/share/convscope/camera.png" edges.png --kernel sobel-x --padding same --map abs 2>"$tmp/err" &&
    file edges.png | grep -q "512 x 512"; then
    ok "convscope filter on the installed sample photo"
else
    fail "convscope filter on the installed sample photo: $(cat "$tmp/err")"
fi
"$exe" size 0 --kernel 3 >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] && grep -q '^error: ' "$tmp/err" || fail "bad input: exit 2, one error line"
ok "command line"

# 3. The GUI in Korean, from another folder; then without the installed fonts. Same pixels as the build
#    tree's executable in the same two cases: the installed one draws Korean from its own share folder, and
#    without it falls back to the built-in font rather than reaching for the source tree.
if command -v xvfb-run >/dev/null 2>&1; then
    shot() {  # shot EXE OUT [ENV...]: a 1280×800 Korean screenshot of the stepper
        exe_="$1" out_="$2"
        shift 2
        env "$@" timeout 60 xvfb-run -a -f "$tmp/Xauthority" -s "-screen 0 1600x1000x24" \
            "$exe_" gui --lang ko --size 1280x800 --frames 3 --screenshot "$out_" >>"$tmp/gui.log" 2>&1
    }
    mkdir "$tmp/no-assets"
    shot "$exe" installed-ko.png && shot "$build/app/convscope" build-ko.png || fail "GUI screenshots ($(tail -3 "$tmp/gui.log"))"
    mv "$P/share/convscope/fonts" "$tmp/fonts-away"
    shot "$exe" installed-nofont.png && shot "$build/app/convscope" build-nofont.png CONVSCOPE_ASSETS="$tmp/no-assets" ||
        fail "GUI screenshots without fonts ($(tail -3 "$tmp/gui.log"))"
    mv "$tmp/fonts-away" "$P/share/convscope/fonts"
    file installed-ko.png | grep -q "1280 x 800" || fail "the installed app's screenshot is 1280×800"
    cmp -s installed-ko.png build-ko.png || fail "the installed app draws Korean as the build tree's does"
    cmp -s installed-nofont.png build-nofont.png ||
        fail "without its fonts the installed app falls back to the built-in font (and not to the source tree)"
    cmp -s installed-ko.png installed-nofont.png && fail "the installed fonts make a difference"
    ok "GUI in Korean from the installed share folder"
else
    echo "skipped: GUI screenshots (xvfb-run is not installed, Debian package xvfb)"
fi

# 4. Validators on the installed files.
desktop-file-validate "$P/share/applications/$id.desktop" >"$tmp/v.log" 2>&1 && ! grep -q "error:" "$tmp/v.log" ||
    { cat "$tmp/v.log"; fail "desktop-file-validate"; }
appstreamcli validate --no-net "$P/share/metainfo/$id.metainfo.xml" >"$tmp/v.log" 2>&1 ||
    { cat "$tmp/v.log"; fail "appstreamcli validate --no-net"; }
mkdir -p "$tmp/mime/packages"
cp "$P/share/mime/packages/convscope.xml" "$tmp/mime/packages/"
XDG_DATA_HOME="$tmp" update-mime-database "$tmp/mime" >"$tmp/v.log" 2>&1 && [ ! -s "$tmp/v.log" ] &&
    grep -q "application/x-convscope-lesson" "$tmp/mime/types" || { cat "$tmp/v.log"; fail "update-mime-database"; }
ok "validators"

# 4b. What a file manager sees (GIO, as GNOME's and others' do): lesson and scene files told from other JSON
#     by their "convscope" field, and ConvScope the default application for them and for PNG.
if command -v gio >/dev/null 2>&1 && [ -f /usr/share/mime/packages/freedesktop.org.xml ]; then
    x="$tmp/xdg"
    mkdir -p "$x/mime/packages" "$x/applications" "$x/config" "$x/files"
    cp /usr/share/mime/packages/freedesktop.org.xml "$P/share/mime/packages/convscope.xml" "$x/mime/packages/"
    cp "$P/share/applications/$id.desktop" "$x/applications/"
    XDG_DATA_HOME="$x" update-mime-database "$x/mime" && update-desktop-database "$x/applications" ||
        fail "update-mime-database, update-desktop-database"
    printf '{ "convscope": "lesson", "version": 1, "title": {"en": "Stride"}, "scenes": [] }\n' >"$x/files/stride.json"
    printf '{"convscope":"scene","version":1,"view":"stepper"}' >"$x/files/window.json"
    printf '{"other": 1}\n' >"$x/files/other.json"
    xdg() { env PATH="$P/bin:$PATH" XDG_DATA_HOME="$x" XDG_DATA_DIRS="$x" XDG_CONFIG_HOME="$x/config" "$@"; }
    type_of() { xdg gio info -a standard::content-type "$1" | sed -n 's/.*content-type: //p'; }
    [ "$(type_of "$x/files/stride.json")" = application/x-convscope-lesson ] || fail "a lesson file's type: $(type_of "$x/files/stride.json")"
    [ "$(type_of "$x/files/window.json")" = application/x-convscope-scene ] || fail "a scene file's type: $(type_of "$x/files/window.json")"
    [ "$(type_of "$x/files/other.json")" = application/json ] || fail "other JSON stays JSON: $(type_of "$x/files/other.json")"
    for type in application/x-convscope-lesson application/x-convscope-scene image/png image/jpeg; do
        xdg gio mime "$type" | grep -q "^Default application for .*: $id.desktop" || fail "ConvScope opens $type"
    done
    ok "file types and the default application (GIO)"
else
    echo "skipped: file types (gio is not installed, Debian package libglib2.0-bin)"
fi

# 5. The man page covers every subcommand; the completion knows them and their options.
LC_ALL=C.UTF-8 MANWIDTH=100 man --warnings -l "$P/share/man/man1/convscope.1.gz" >"$tmp/man.txt" 2>"$tmp/man.err"
[ -s "$tmp/man.txt" ] && [ ! -s "$tmp/man.err" ] || { cat "$tmp/man.err"; fail "man convscope renders without warnings"; }
for sub in $(sh "$src/packaging/subcommands.sh" "$exe"); do
    grep -q "^   convscope $sub\$" "$tmp/man.txt" || fail "the man page has a section for convscope $sub"
    "$exe" "$sub" --help | grep -o -- '--[a-z][a-z-]*' | sort -u >"$tmp/opts"
    while read -r opt; do
        grep -q -- "$opt" "$tmp/man.txt" || fail "the man page lists $opt of convscope $sub"
    done <"$tmp/opts"
done
completion() {  # completion WORD...: what bash completes for the last word
    bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _convscope
             echo "${COMPREPLY[*]}"' sh "$P/share/bash-completion/completions/convscope" "$@"
}
[ "$(completion convscope s)" = "size shapes" ] || fail "completion of 'convscope s': $(completion convscope s)"
[ "$(completion convscope conv x.npy --padding-m)" = "--padding-mode" ] || fail "completion of conv's options"
[ "$(completion convscope pool max x.npy --backend '')" = "reference simd gpu" ] || fail "completion of --backend"
ok "man page and completion"

[ "$failures" -eq 0 ] || { echo "$failures failure(s)"; exit 1; }
echo "all install checks passed"
