#!/usr/bin/python3
"""Writes tests/network/stacks.json: layer stacks run through PyTorch, each layer's output shape and parameter
count, or, for a stack PyTorch refuses, the failing layer (counted from 1 after the input) and the kind of error.

Run with Debian's python3-torch:  /usr/bin/python3 tests/network/make_expectations.py
The C++ test (tests/network.test.cpp) parses the same layer text with ConvScope and compares.
"""
import json
import os
import warnings

import torch
import torch.nn as nn

warnings.filterwarnings("ignore")

# (name, input shape, layers in PyTorch's constructor syntax)
STACKS = [
    # --- stacks PyTorch accepts
    ("lecture", [1, 1, 28, 28], ["Conv2d(1,5,5)", "MaxPool2d(2)"]),
    ("lecture with nn. prefix and keywords", [1, 1, 28, 28],
     ["nn.Conv2d(in_channels=1, out_channels=5, kernel_size=5)", "nn.MaxPool2d(kernel_size=2, stride=2)"]),
    ("LeNet-5", [1, 1, 32, 32],
     ["Conv2d(1,6,5)", "ReLU()", "MaxPool2d(2)", "Conv2d(6,16,5)", "ReLU()", "MaxPool2d(2)", "Flatten()",
      "Linear(400,120)", "ReLU()", "Linear(120,84)", "ReLU()", "Linear(84,10)"]),
    ("tuple kernel, tuple padding, no bias", [1, 16, 28, 28], ["Conv2d(16,8,(3,5),padding=(1,2),bias=False)"]),
    ("padding same, odd kernel", [2, 3, 17, 19], ["Conv2d(3,4,3,padding='same')"]),
    ("padding same, even kernel", [1, 2, 10, 10], ["Conv2d(2,2,4,padding='same')"]),
    ("padding same, dilated", [1, 1, 15, 15], ["Conv2d(1,1,3,padding='same',dilation=2)"]),
    ("padding valid", [1, 1, 9, 7], ['Conv2d(1,1,3,padding="valid")']),
    ("AlexNet's first layer: 227, k11, s4 -> 55", [1, 3, 227, 227], ["Conv2d(3,96,11,stride=4)"]),
    ("64, k7, s2 -> 29", [1, 3, 64, 64], ["Conv2d(3,64,7,stride=2)"]),
    ("32, k5, p2 -> 32", [1, 3, 32, 32], ["Conv2d(3,6,5,padding=2)"]),
    ("32x64, k5 -> 28x60", [1, 1, 32, 64], ["Conv2d(1,1,5)"]),
    ("grouped and depthwise", [1, 8, 16, 16], ["Conv2d(8,16,3,groups=4)", "Conv2d(16,16,3,groups=16,bias=False)"]),
    ("rectangular stride and dilation", [1, 1, 20, 30], ["Conv2d(1,2,(3,5),dilation=(2,1),stride=(1,2))"]),
    ("padding modes", [1, 1, 8, 8],
     ["Conv2d(1,1,3,padding=2,padding_mode='reflect')", "Conv2d(1,1,3,padding=1,padding_mode='circular')",
      "Conv2d(1,1,3,padding=(1,2),padding_mode='replicate')"]),
    ("all positional", [1, 2, 9, 9], ["Conv2d(2,4,3,2,1,1,2,False,'zeros')"]),
    ("trailing comma and spaces", [1, 1, 28, 28], [" Conv2d( 1 , 5 , 5 , ) ", "MaxPool2d( 2, )"]),
    ("max pool ceil_mode", [1, 1, 5, 5], ["MaxPool2d(2,ceil_mode=True)"]),
    ("ceil_mode drops a window that starts in the padding", [1, 1, 6, 6],
     ["MaxPool2d(2,stride=2,padding=1,ceil_mode=True)"]),
    ("max pool dilated", [1, 1, 10, 10], ["MaxPool2d(3,stride=1,dilation=2)"]),
    ("max pool stride 1 padding 1, positional", [1, 1, 4, 4], ["MaxPool2d(3,1,1)"]),
    ("max pool list kernel, stride None", [1, 2, 9, 8], ["MaxPool2d([2,3], stride=None)"]),
    ("avg pool rectangular", [1, 2, 7, 9], ["AvgPool2d((2,3),stride=(2,1),padding=1,count_include_pad=False)"]),
    ("avg pool ceil_mode", [1, 1, 5, 5], ["AvgPool2d(2, ceil_mode=True)"]),
    ("unbatched input", [3, 32, 32], ["Conv2d(3,8,3)", "MaxPool2d(2)", "Flatten(start_dim=0)", "Linear(1800,10)"]),
    ("Linear on the last dimension of 4-D", [1, 3, 8, 8], ["Linear(8,4)"]),
    ("Flatten from dim 2", [1, 5, 12, 12], ["Flatten(start_dim=2)", "ReLU(inplace=True)"]),
    ("Flatten with negative dims", [2, 3, 4, 5], ["Flatten(-3,-2)"]),
    ("Linear without bias on 2-D", [4, 10], ["Linear(10,5,bias=False)", "ReLU()"]),
    ("1x1 convolution", [1, 5, 12, 12], ["Conv2d(5,10,1)", "ReLU()"]),
    ("VGG block", [1, 3, 224, 224],
     ["Conv2d(3,64,3,padding=1)", "ReLU()", "Conv2d(64,64,3,padding=1)", "ReLU()", "MaxPool2d(2,2)",
      "Conv2d(64,128,3,padding=1)", "ReLU()", "MaxPool2d(2,2)"]),
    ("lecture classifier", [1, 1, 28, 28], ["Conv2d(1,5,5)", "MaxPool2d(2)", "Flatten()", "Linear(720,10)"]),
    # --- stacks PyTorch refuses
    ("channel mismatch at the first layer", [1, 3, 28, 28], ["Conv2d(1,5,5)", "MaxPool2d(2)"]),
    ("channel mismatch after the lecture", [1, 1, 28, 28], ["Conv2d(1,5,5)", "MaxPool2d(2)", "Conv2d(6,10,3)"]),
    ("size drops to zero: conv", [1, 1, 28, 28], ["Conv2d(1,5,5)", "MaxPool2d(2)", "Conv2d(5,5,13)"]),
    ("size drops to zero: padded conv", [1, 1, 2, 2], ["Conv2d(1,1,5,padding=1)"]),
    ("size drops to zero: dilated conv", [1, 1, 5, 5], ["Conv2d(1,1,3,dilation=3)"]),
    ("size drops to zero: max pool", [1, 1, 3, 3], ["MaxPool2d(4)"]),
    ("size drops to zero: avg pool after conv", [1, 1, 4, 4], ["Conv2d(1,2,3)", "AvgPool2d(3)"]),
    ("Linear in_features wrong", [1, 1, 28, 28], ["Conv2d(1,5,5)", "MaxPool2d(2)", "Flatten()", "Linear(700,10)"]),
    ("Linear without Flatten", [1, 5, 12, 12], ["Linear(720,10)"]),
    ("groups do not divide in_channels", [1, 3, 8, 8], ["Conv2d(3,6,3,groups=2)"]),
    ("groups do not divide out_channels", [1, 4, 8, 8], ["ReLU()", "Conv2d(4,6,3,groups=4)"]),
    ("Conv2d after Flatten", [1, 1, 28, 28], ["Flatten()", "Conv2d(1,5,3)"]),
    ("MaxPool2d after Flatten", [1, 5, 12, 12], ["Flatten()", "MaxPool2d(2)"]),
    ("Flatten of a 1-D input", [10], ["Flatten()"]),
    ("Flatten start after end", [1, 5, 12, 12], ["Flatten(2,1)"]),
    ("pool padding more than half the kernel", [1, 1, 8, 8], ["MaxPool2d(2,padding=2)"]),
    ("avg pool padding more than half the kernel", [1, 1, 8, 8], ["AvgPool2d(3,padding=2)"]),
    ("padding same with stride 2", [1, 1, 8, 8], ["Conv2d(1,1,3,stride=2,padding='same')"]),
    ("unknown padding string", [1, 1, 8, 8], ["Conv2d(1,1,3,padding='full')"]),
    ("unknown padding mode", [1, 1, 8, 8], ["Conv2d(1,1,3,padding=1,padding_mode='mirror')"]),
    ("stride 0", [1, 1, 8, 8], ["Conv2d(1,1,3,stride=0)"]),
    ("kernel 0", [1, 1, 8, 8], ["Conv2d(1,1,0)"]),
    ("negative padding", [1, 1, 8, 8], ["Conv2d(1,1,3,padding=-1)"]),
    ("groups 0", [1, 3, 8, 8], ["Conv2d(3,6,3,groups=0)"]),
    ("negative dilation", [1, 1, 8, 8], ["Conv2d(1,1,3,dilation=-1)"]),
    ("reflect padding as large as the input", [1, 1, 4, 4], ["Conv2d(1,1,3,padding=4,padding_mode='reflect')"]),
    ("max pool stride 0", [1, 1, 8, 8], ["MaxPool2d(2,stride=0)"]),
    ("max pool kernel 0", [1, 1, 8, 8], ["MaxPool2d(0)"]),
    ("unexpected keyword", [1, 1, 28, 28], ["Conv2d(1,5,5,strides=2)"]),
    ("missing kernel_size", [1, 1, 28, 28], ["Conv2d(1,5)"]),
    ("too many arguments", [1, 1, 28, 28], ["ReLU(True,1)"]),
    ("AvgPool2d takes no dilation", [1, 1, 8, 8], ["AvgPool2d(2,dilation=2)"]),
    ("argument given twice", [1, 1, 8, 8], ["MaxPool2d(2,kernel_size=3)"]),
    ("string padding for a pool", [1, 1, 8, 8], ["MaxPool2d(2,padding='same')"]),
    ("empty argument", [1, 1, 28, 28], ["Conv2d(1,5,,5)"]),
    ("positional after keyword", [1, 1, 28, 28], ["Conv2d(1,5,kernel_size=5,1)"]),
    ("unclosed call", [1, 1, 28, 28], ["Conv2d(1,5,5", "MaxPool2d(2)"]),
]


def kind_of(e):
    """The kind of refusal, from the exception PyTorch (or Python) raises."""
    m = str(e)
    if isinstance(e, SyntaxError):
        return "syntax"
    if isinstance(e, TypeError):
        return "signature"
    if "divisible by groups" in m:
        return "groups"
    if "channels, but got" in m:
        return "channels"
    if "Kernel size can't be greater" in m or "Output size is too small" in m:
        return "too_small"
    if "mat1 and mat2 shapes cannot be multiplied" in m:
        return "features"
    if "3D (unbatched) or 4D" in m or "3D or 4D" in m or "Dimension out of range" in m:
        return "rank"
    return "argument"


def run(input_shape, layers):
    x = torch.zeros(*input_shape)
    names = {"nn": nn, "torch": torch}
    names.update({k: getattr(nn, k) for k in ("Conv2d", "MaxPool2d", "AvgPool2d", "ReLU", "Flatten", "Linear")})
    rows = []
    for k, text in enumerate(layers, start=1):
        try:
            module = eval(text.strip(), names)
            x = module(x)
        except Exception as e:  # noqa: BLE001 - every refusal is data here
            return rows, {"layer": k, "kind": kind_of(e), "torch": str(e).splitlines()[0] if str(e) else type(e).__name__}
        rows.append({"shape": list(x.shape), "params": sum(p.numel() for p in module.parameters())})
    return rows, None


def main():
    out = []
    for name, input_shape, layers in STACKS:
        rows, error = run(input_shape, layers)
        entry = {"name": name, "input": input_shape, "layers": layers, "expect": rows}
        if error:
            entry["error"] = error
        out.append(entry)
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "stacks.json")
    with open(path, "w") as f:
        json.dump({"generated_by": "tests/network/make_expectations.py", "torch": torch.__version__, "stacks": out},
                  f, indent=1)
        f.write("\n")
    print(f"wrote {path}: {len(out)} stacks, {sum('error' in s for s in out)} refused")


if __name__ == "__main__":
    main()
