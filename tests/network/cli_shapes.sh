#!/bin/sh
# `convscope shapes` as a user runs it: the table, --json, and exit 2 with one `error: layer K (...)` line.
# Usage: cli_shapes.sh PATH/TO/convscope
set -u
exe="$1"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
failures=0

# expect NAME STATUS STDOUT STDERR -- ARGS...: runs convscope with ARGS, compares status, stdout and stderr.
expect() {
    name="$1" status="$2" out="$3" err="$4"
    shift 5
    "$exe" "$@" >"$tmp/out" 2>"$tmp/err"
    got=$?
    printf '%s' "$out" >"$tmp/want_out"
    printf '%s' "$err" >"$tmp/want_err"
    if [ "$got" != "$status" ] || ! cmp -s "$tmp/out" "$tmp/want_out" || ! cmp -s "$tmp/err" "$tmp/want_err"; then
        echo "FAIL: $name (exit $got, expected $status)"
        echo "--- stdout:"; cat "$tmp/out"; echo "--- expected:"; cat "$tmp/want_out"
        echo "--- stderr:"; cat "$tmp/err"; echo "--- expected:"; cat "$tmp/want_err"
        failures=$((failures + 1))
    else
        echo "ok: $name"
    fi
}

nl='
'
expect "lecture, table" 0 "Layer (type)     Output shape      Params    Mult-adds
======================================================
Input            [1, 1, 28, 28]        --           --
Conv2d(1,5,5)    [1, 5, 24, 24]       130       72,000
MaxPool2d(2)     [1, 5, 12, 12]        --           --
======================================================
Total params: 130
Total mult-adds: 72,000$nl" "" -- shapes --input 1,1,28,28 "Conv2d(1,5,5)" "MaxPool2d(2)"

expect "lecture, --json" 0 '[{"layer":"input","shape":[1,1,28,28],"params":0},{"layer":"Conv2d(1,5,5)","shape":[1,5,24,24],"params":130},{"layer":"MaxPool2d(2)","shape":[1,5,12,12],"params":0}]'"$nl" "" \
    -- shapes --input 1,1,28,28 "Conv2d(1,5,5)" "MaxPool2d(2)" --json

expect "tuples, keywords, 'same', nn. prefix" 0 '[{"layer":"input","shape":[1,16,28,28],"params":0},{"layer":"Conv2d(16,8,(3,5),padding=(1,2),bias=False)","shape":[1,8,28,28],"params":1920},{"layer":"nn.Conv2d(8,8,3,padding='"'same'"')","shape":[1,8,28,28],"params":584}]'"$nl" "" \
    -- shapes --json --input 1,16,28,28 "Conv2d(16,8,(3,5),padding=(1,2),bias=False)" "nn.Conv2d(8,8,3,padding='same')"

expect "channel mismatch" 2 "" "error: layer 1 (Conv2d(1,5,5)): in_channels is 1, but the input 1×3×28×28 has 3 channels$nl" \
    -- shapes --input 1,3,28,28 "Conv2d(1,5,5)" "MaxPool2d(2)"

expect "size drops to zero, counted from 1 after the input" 2 "" "error: layer 3 (Conv2d(5,5,13)): the output would be empty: kernel 13×13 (dilated 13×13) is larger than the padded input 12×12$nl" \
    -- shapes --input 1,1,28,28 "Conv2d(1,5,5)" "MaxPool2d(2)" "Conv2d(5,5,13)" --json

expect "Linear in_features" 2 "" "error: layer 4 (Linear(700,10)): in_features is 700, but the input 1×720 has 720 features (its last dimension)$nl" \
    -- shapes --input 1,1,28,28 "Conv2d(1,5,5)" "MaxPool2d(2)" "Flatten()" "Linear(700,10)"

expect "groups" 2 "" "error: layer 1 (Conv2d(3,6,3,groups=2)): groups=2 does not divide in_channels=3 (each group must get the same number of input channels)$nl" \
    -- shapes --input 1,3,8,8 "Conv2d(3,6,3,groups=2)"

expect "syntax error with its column" 2 "" "error: layer 2 (MaxPool2d(2,,)): column 13: expected a value (a number, a tuple, True/False, None or a quoted string), found ','$nl" \
    -- shapes --input 1,1,28,28 "Conv2d(1,5,5)" "MaxPool2d(2,,)"

expect "an earlier refused layer is reported before a later syntax error" 2 "" "error: layer 1 (Conv2d(2,5,5)): in_channels is 2, but the input 1×1×28×28 has 1 channel$nl" \
    -- shapes --input 1,1,28,28 "Conv2d(2,5,5)" "MaxPool2d(2,,)"

expect "bad input shape" 2 "" "error: --input: every dimension of the input shape must be at least 1, got 1×0×28×28$nl" \
    -- shapes --input 1,0,28,28 "ReLU()"

if [ "$failures" -ne 0 ]; then
    echo "$failures case(s) failed"
    exit 1
fi
