#!/bin/sh
# subcommands.sh CONVSCOPE: prints the subcommands, one a line: `gui` (the app), then those that
# `convscope --help` lists. The man page and the bash completion are made from this list, so a subcommand
# added to the command line appears in both without editing them.
set -eu
echo gui
"$1" --help | awk '/^Subcommands:/ { on = 1; next } on && /^[^ ]/ { on = 0 } on && /^  [a-z]/ { print $1 }'
