#!/bin/sh
# make_manpage.sh CONVSCOPE VERSION OUT: writes convscope(1) with help2man from the command line's own help:
# `convscope --help` for the synopsis and options, then a section per subcommand from `convscope SUB --help`,
# then the environment and files (packaging/convscope.h2m). Run at build time (packaging/CMakeLists.txt).
set -eu
exe="$1" version="$2" out="$3"
here="$(cd "$(dirname "$0")" && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# roff-escapes help text for a no-fill block: backslashes, minus signs, and control characters at line starts.
escape() {
    sed -e 's/\\/\\e/g' -e 's/-/\\-/g' -e "s/^\\([.']\\)/\\\\\\&\\1/"
}

{
    echo "[SUBCOMMANDS]"
    printf "%s\n" "Each subcommand prints its own help with \\fB\\-\\-help\\fR."
    for sub in $(sh "$here/subcommands.sh" "$exe"); do
        echo ".SS \"convscope $sub\""
        echo ".nf"
        # The footer every subcommand repeats is said once, above.
        "$exe" "$sub" --help | grep -v '^Without a subcommand, or with `gui`' | escape
        echo ".fi"
    done
    cat "$here/convscope.h2m"
} >"$tmp/include.h2m"

LC_ALL=C.UTF-8 help2man --locale=C.UTF-8 --no-info --no-discard-stderr --version-string="$version" \
    --name="learn 2D convolution and pooling, computed exactly as PyTorch does" \
    --include="$tmp/include.h2m" --output="$tmp/convscope.1" "$exe"
# help2man writes the build machine's date; SOURCE_DATE_EPOCH (set by the packaging) keeps it reproducible.
mv "$tmp/convscope.1" "$out"
