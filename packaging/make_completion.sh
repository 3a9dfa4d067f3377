#!/bin/sh
# make_completion.sh CONVSCOPE OUT: writes bash completion for convscope from the command line's own help:
# the subcommands (subcommands.sh) and each one's options (`convscope SUB --help`). The values of a few options
# are listed in completion.bash.in; everything else completes file names. Run at build time.
set -eu
exe="$1" out="$2"
here="$(cd "$(dirname "$0")" && pwd)"
subs="$(sh "$here/subcommands.sh" "$exe" | tr '\n' ' ' | sed 's/ $//')"
# The long and short options a help text lists: "  -o,--output TEXT" gives -o and --output.
options() {
    "$exe" "$1" --help | sed -n 's/^  \(-[-a-zA-Z0-9,]*\).*/\1/p' | tr ',' '\n' | grep '^-' | tr '\n' ' ' |
        sed 's/ $//'
}
{
    sed -n '1,/@OPTIONS@/p' "$here/completion.bash.in" | sed -e '$d' -e "s|@SUBCOMMANDS@|$subs|"
    for sub in $subs; do
        printf '        %s) opts="%s" ;;\n' "$sub" "$(options "$sub")"
    done
    sed -n '/@OPTIONS@/,$p' "$here/completion.bash.in" | sed '1d'
} >"$out.tmp"
mv "$out.tmp" "$out"
