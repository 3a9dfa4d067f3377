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
expect "lecture, table" 0 "Layer (type)     Output shape      Params    Mult-adds    RF    Jump    Start
=============================================================================
Input            [1, 1, 28, 28]        --           --     1       1        0
Conv2d(1,5,5)    [1, 5, 24, 24]       130       74,880     5       1        2
MaxPool2d(2)     [1, 5, 12, 12]        --           --     6       2      2.5
=============================================================================
Total params: 130
Trainable params: 130
Non-trainable params: 0
Total mult-adds: 74,880
=============================================================================
Input size (MB): 0.00
Forward/backward pass size (MB): 0.02
Params size (MB): 0.00
Estimated Total Size (MB): 0.03
=============================================================================$nl" "" -- shapes --input 1,1,28,28 "Conv2d(1,5,5)" "MaxPool2d(2)"

expect "lecture, --json" 0 '[{"layer":"input","shape":[1,1,28,28],"params":0,"mult_adds":0,"receptive_field":[1,1],"jump":[1,1]},{"layer":"Conv2d(1,5,5)","shape":[1,5,24,24],"params":130,"mult_adds":74880,"receptive_field":[5,5],"jump":[1,1]},{"layer":"MaxPool2d(2)","shape":[1,5,12,12],"params":0,"mult_adds":0,"receptive_field":[6,6],"jump":[2,2]}]'"$nl" "" \
    -- shapes --input 1,1,28,28 "Conv2d(1,5,5)" "MaxPool2d(2)" --json

expect "tuples, keywords, 'same', nn. prefix" 0 '[{"layer":"input","shape":[1,16,28,28],"params":0,"mult_adds":0,"receptive_field":[1,1],"jump":[1,1]},{"layer":"Conv2d(16,8,(3,5),padding=(1,2),bias=False)","shape":[1,8,28,28],"params":1920,"mult_adds":1505280,"receptive_field":[3,5],"jump":[1,1]},{"layer":"nn.Conv2d(8,8,3,padding='"'same'"')","shape":[1,8,28,28],"params":584,"mult_adds":457856,"receptive_field":[5,7],"jump":[1,1]}]'"$nl" "" \
    -- shapes --json --input 1,16,28,28 "Conv2d(16,8,(3,5),padding=(1,2),bias=False)" "nn.Conv2d(8,8,3,padding='same')"

expect "receptive field stops after Flatten: null" 0 '[{"layer":"input","shape":[1,1,8,8],"params":0,"mult_adds":0,"receptive_field":[1,1],"jump":[1,1]},{"layer":"Conv2d(1,2,3)","shape":[1,2,6,6],"params":20,"mult_adds":720,"receptive_field":[3,3],"jump":[1,1]},{"layer":"Flatten()","shape":[1,72],"params":0,"mult_adds":0,"receptive_field":null,"jump":null},{"layer":"Linear(72,3)","shape":[1,3],"params":219,"mult_adds":219,"receptive_field":null,"jump":null}]'"$nl" "" \
    -- shapes --json --input 1,1,8,8 "Conv2d(1,2,3)" "Flatten()" "Linear(72,3)"

printf 'input = torch.randn(1, 1, 28, 28)\nmodel = nn.Sequential(  # the lecture\n    nn.Conv2d(1, 5, 5),\n    nn.MaxPool2d(2),\n)\nprint(model(input).shape)\n' >"$tmp/lecture.py"
expect "--code: an nn.Sequential, the print line listed as skipped" 0 '[{"layer":"input","shape":[1,1,28,28],"params":0,"mult_adds":0,"receptive_field":[1,1],"jump":[1,1]},{"layer":"Conv2d(1, 5, 5)","shape":[1,5,24,24],"params":130,"mult_adds":74880,"receptive_field":[5,5],"jump":[1,1]},{"layer":"MaxPool2d(2)","shape":[1,5,12,12],"params":0,"mult_adds":0,"receptive_field":[6,6],"jump":[2,2]}]'"$nl" "skipped line 6: print(model(input).shape)$nl" \
    -- shapes --code "$tmp/lecture.py" --json

expect "--code with --input: the given shape wins" 2 "" "error: layer 1 (Conv2d(1, 5, 5)): in_channels is 1, but the input 1×3×28×28 has 3 channels$nl" \
    -- shapes --code "$tmp/lecture.py" --input 1,3,28,28

printf 'model = nn.Sequential(nn.Conv2d(1, 5,, 5))\n' >"$tmp/bad.py"
expect "--code: a syntax error names the file, line and column" 2 "" "error: $tmp/bad.py: line 1: column 38: expected a value (a number, a tuple, True/False, None or a quoted string), found ','$nl" \
    -- shapes --code "$tmp/bad.py"

expect "--code: a missing file" 2 "" "error: $tmp/missing.py: cannot open $tmp/missing.py: No such file or directory$nl" \
    -- shapes --code "$tmp/missing.py"

expect "neither layers nor --code" 2 "" "error: give LAYER arguments or --code FILE.py$nl" -- shapes

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
