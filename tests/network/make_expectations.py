#!/usr/bin/python3
"""Writes tests/network/stacks.json: layer stacks run through PyTorch, each layer's output shape and parameter
count, or, for a stack PyTorch refuses, the failing layer (counted from 1 after the input) and the kind of error.

Also: the bundled stacks of the network view's menu ("bundled: NAME"), receptive fields measured by autograd
(single-channel stacks with every weight 1: the input gradient of one output element counts the paths from each
input pixel), torchvision's AlexNet run from tests/network/alexnet_source.py (and tests/network/alexnet_print.txt,
what print(model) prints for it). Mult-adds follow torchinfo's LayerInfo.calculate_macs rule (reimplemented
here: torchinfo is not in Debian). BatchNorm and Dropout run in eval mode.

Run with Debian's python3-torch:  /usr/bin/python3 tests/network/make_expectations.py
The C++ test (tests/network.test.cpp) parses the same layer text with ConvScope and compares.
"""
import json
import math
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
    # --- the layers added for real networks (issue 16), accepted
    ("ConvTranspose2d: DCGAN's first layer", [1, 100, 1, 1], ["ConvTranspose2d(100,512,4,1,0,bias=False)"]),
    ("ConvTranspose2d stride 2 padding 1", [1, 8, 4, 4], ["ConvTranspose2d(8,4,4,stride=2,padding=1)"]),
    ("ConvTranspose2d output_padding, groups, rectangular", [1, 4, 5, 6],
     ["ConvTranspose2d(4,6,(3,2),stride=(2,3),padding=(1,0),output_padding=(1,2),groups=2)"]),
    ("ConvTranspose2d all positional, dilated", [2, 2, 3, 3], ["ConvTranspose2d(2,3,3,1,0,0,1,True,2)"]),
    ("ConvTranspose2d unbatched", [3, 4, 4], ["ConvTranspose2d(3,2,3,stride=2)"]),
    ("AdaptiveAvgPool2d (6, 6)", [1, 3, 13, 13], ["AdaptiveAvgPool2d((6,6))"]),
    ("AdaptiveAvgPool2d with None", [1, 2, 7, 9], ["AdaptiveAvgPool2d((3,None))"]),
    ("AdaptiveMaxPool2d(1) then Flatten", [2, 4, 5, 5], ["AdaptiveMaxPool2d(1)", "Flatten()"]),
    ("AdaptiveAvgPool2d enlarging", [1, 1, 3, 3], ["AdaptiveAvgPool2d(output_size=7)"]),
    ("BatchNorm2d variants", [2, 8, 6, 6],
     ["BatchNorm2d(8)", "BatchNorm2d(8, eps=1e-3, momentum=None, affine=False)",
      "BatchNorm2d(num_features=8, track_running_stats=False)"]),
    ("Dropout variants", [1, 3, 4, 4], ["Dropout()", "Dropout(0.2)", "Dropout2d(p=0.5, inplace=True)", "Dropout(p=1)"]),
    ("activations", [1, 2, 5, 5],
     ["ReLU6(inplace=True)", "LeakyReLU()", "LeakyReLU(0.2, inplace=True)", "ELU(alpha=0.5)", "GELU()",
      "GELU(approximate='tanh')", "SiLU()", "Hardswish()", "Sigmoid()", "Tanh()", "Identity()",
      "Identity(54, unused='x')", "nn.ReLU(inplace=True)"]),
    ("Softmax after Linear", [2, 10], ["Linear(10,5)", "Softmax(dim=1)", "LogSoftmax(dim=-1)"]),
    ("Softmax over channels", [1, 3, 4, 4], ["Softmax(dim=1)", "LogSoftmax(1)"]),
    ("padding layers", [1, 2, 5, 6],
     ["ZeroPad2d(2)", "ZeroPad2d((1,0,2,3))", "ConstantPad2d(1, 0.5)", "ConstantPad2d((0,1,1,0), value=-1)",
      "ReflectionPad2d(2)", "ReflectionPad2d((1,2,0,1))", "ReplicationPad2d(3)", "ReplicationPad2d((0,0,1,4))"]),
    ("ZeroPad2d negative crops", [1, 1, 6, 6], ["ZeroPad2d(-1)"]),
    ("Upsample", [1, 2, 3, 4],
     ["Upsample(scale_factor=2)", "Upsample(size=(5,7), mode='bilinear')",
      "Upsample(scale_factor=(1.5,2.5), mode='bilinear', align_corners=True)", "Upsample(size=9)",
      "Upsample(None, 0.5)"]),
    ("Upsample of a 3-D input is 1-D", [2, 3, 4], ["Upsample(scale_factor=3)"]),
    ("LocalResponseNorm", [1, 8, 5, 5], ["LocalResponseNorm(5, alpha=1e-4, beta=0.75, k=2.0)", "LocalResponseNorm(2)"]),
    ("products and sums in arguments", [1, 1, 28, 28], ["Conv2d(1, 2*3, 5)", "Flatten()", "Linear(6 * 24 * 24, 10 // 2 + 1)"]),
    ("torch.nn. prefix", [1, 3, 8, 8], ["torch.nn.BatchNorm2d(3)", "torch.nn.Upsample(scale_factor=2, mode='nearest')"]),
    # --- the layers added for real networks, refused
    ("ConvTranspose2d channel mismatch", [1, 3, 4, 4], ["ConvTranspose2d(4,2,3)"]),
    ("ConvTranspose2d output too small", [1, 1, 1, 1], ["ConvTranspose2d(1,1,1,padding=1)"]),
    ("ConvTranspose2d output_padding too large", [1, 1, 4, 4], ["ConvTranspose2d(1,1,3,stride=2,output_padding=2)"]),
    ("ConvTranspose2d padding_mode reflect", [1, 1, 4, 4], ["ConvTranspose2d(1,1,3,padding_mode='reflect')"]),
    ("ConvTranspose2d groups do not divide out_channels", [1, 4, 4, 4], ["ConvTranspose2d(4,6,3,groups=4)"]),
    ("BatchNorm2d on a 2-D input", [2, 8], ["BatchNorm2d(8)"]),
    ("BatchNorm2d channel mismatch", [1, 3, 4, 4], ["BatchNorm2d(4)"]),
    ("Dropout p above 1", [1, 3, 4, 4], ["Dropout(1.5)"]),
    ("Dropout2d p negative", [1, 3, 4, 4], ["Dropout2d(-0.1)"]),
    ("Softmax dim out of range", [2, 10], ["Softmax(dim=2)"]),
    ("ReflectionPad2d as large as the input", [1, 1, 3, 3], ["ReflectionPad2d(3)"]),
    ("Upsample without size or scale_factor", [1, 1, 3, 3], ["Upsample()"]),
    ("Upsample with size and scale_factor", [1, 1, 3, 3], ["Upsample(size=4, scale_factor=2)"]),
    ("Upsample align_corners with nearest", [1, 1, 3, 3], ["Upsample(scale_factor=2, align_corners=True)"]),
    ("Upsample bilinear on a 3-D input", [1, 3, 3], ["Upsample(scale_factor=2, mode='bilinear')"]),
    ("AdaptiveAvgPool2d pools a 2-D input as H×W", [2, 10], ["AdaptiveAvgPool2d(1)"]),
    ("LocalResponseNorm on a 2-D input", [2, 10], ["LocalResponseNorm(2)"]),
    ("LeakyReLU unknown keyword", [1, 1, 3, 3], ["LeakyReLU(slope=0.1)"]),
    ("GELU unknown approximation", [1, 1, 3, 3], ["GELU(approximate='fast')"]),
    ("ZeroPad2d with three values", [1, 1, 3, 3], ["ZeroPad2d((1,2,3))"]),
    ("ConstantPad2d without its value", [1, 1, 3, 3], ["ConstantPad2d(1)"]),
]

# The stacks the network view's menu offers (core/network/bundled.cpp's bundled_stacks must match them).
BUNDLED = [
    ("lecture", [1, 1, 28, 28], ["Conv2d(1, 5, 5)", "MaxPool2d(2)"]),
    ("lenet5", [1, 1, 32, 32],
     ["Conv2d(1, 6, 5)", "Tanh()", "AvgPool2d(2)", "Conv2d(6, 16, 5)", "Tanh()", "AvgPool2d(2)", "Flatten()",
      "Linear(400, 120)", "Tanh()", "Linear(120, 84)", "Tanh()", "Linear(84, 10)"]),
    ("alexnet", [1, 3, 224, 224],
     ["Conv2d(3, 64, 11, stride=4, padding=2)", "ReLU(inplace=True)", "MaxPool2d(3, stride=2)",
      "Conv2d(64, 192, 5, padding=2)", "ReLU(inplace=True)", "MaxPool2d(3, stride=2)",
      "Conv2d(192, 384, 3, padding=1)", "ReLU(inplace=True)", "Conv2d(384, 256, 3, padding=1)",
      "ReLU(inplace=True)", "Conv2d(256, 256, 3, padding=1)", "ReLU(inplace=True)", "MaxPool2d(3, stride=2)",
      "AdaptiveAvgPool2d(6)", "Flatten()", "Dropout()", "Linear(9216, 4096)", "ReLU(inplace=True)", "Dropout()",
      "Linear(4096, 4096)", "ReLU(inplace=True)", "Linear(4096, 1000)"]),
    ("vgg_bn", [1, 3, 32, 32],
     ["Conv2d(3, 64, 3, padding=1)", "BatchNorm2d(64)", "ReLU(inplace=True)", "Conv2d(64, 64, 3, padding=1)",
      "BatchNorm2d(64)", "ReLU(inplace=True)", "MaxPool2d(2, stride=2)"]),
    ("mobilenet", [1, 16, 56, 56],
     ["Conv2d(16, 96, 1, bias=False)", "BatchNorm2d(96)", "ReLU6(inplace=True)",
      "Conv2d(96, 96, 3, stride=2, padding=1, groups=96, bias=False)", "BatchNorm2d(96)", "ReLU6(inplace=True)",
      "Conv2d(96, 24, 1, bias=False)", "BatchNorm2d(24)"]),
    ("dcgan", [1, 100, 1, 1],
     ["ConvTranspose2d(100, 512, 4, 1, 0, bias=False)", "BatchNorm2d(512)", "ReLU(True)",
      "ConvTranspose2d(512, 256, 4, 2, 1, bias=False)", "BatchNorm2d(256)", "ReLU(True)",
      "ConvTranspose2d(256, 128, 4, 2, 1, bias=False)", "BatchNorm2d(128)", "ReLU(True)",
      "ConvTranspose2d(128, 64, 4, 2, 1, bias=False)", "BatchNorm2d(64)", "ReLU(True)",
      "ConvTranspose2d(64, 3, 4, 2, 1, bias=False)", "Tanh()"]),
]

# Single-channel stacks whose receptive fields PyTorch measures: every weight 1, no bias, input 1, so the
# gradient of one output element with respect to the input counts the paths from each input pixel to it.
RECEPTIVE = [
    ("lecture", [1, 1, 28, 28], ["Conv2d(1,1,5)", "MaxPool2d(2)"], (5, 5)),
    ("strided and dilated", [1, 1, 40, 36], ["Conv2d(1,1,3,stride=2,padding=1)", "Conv2d(1,1,3,dilation=2)",
                                            "MaxPool2d((2,3))", "Conv2d(1,1,(3,1))"], (3, 2)),
    ("AlexNet's features", [1, 1, 227, 227],
     ["Conv2d(1,1,11,stride=4,padding=2)", "ReLU()", "MaxPool2d(3,stride=2)", "Conv2d(1,1,5,padding=2)",
      "MaxPool2d(3,stride=2)", "Conv2d(1,1,3,padding=1)", "Conv2d(1,1,3,padding=1)", "MaxPool2d(3,stride=2)"], (3, 3)),
    ("padding layers and reflect", [1, 1, 12, 12],
     ["ZeroPad2d((1,0,2,0))", "Conv2d(1,1,3,padding=1,padding_mode='reflect')", "ReflectionPad2d(1)",
      "Conv2d(1,1,3)"], (4, 6)),
    ("same padding, avg pool, nearest upsample", [1, 1, 16, 16],
     ["Conv2d(1,1,4,padding='same')", "AvgPool2d(2)", "Upsample(scale_factor=2)", "Conv2d(1,1,3)"], (7, 7)),
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
    if "running_mean should contain" in m:
        return "channels"
    if "Kernel size can't be greater" in m or "Output size is too small" in m:
        return "too_small"
    if "mat1 and mat2 shapes cannot be multiplied" in m:
        return "features"
    if ("3D (unbatched) or 4D" in m or "3D or 4D" in m or "Dimension out of range" in m or "expected 4D input" in m
            or "needs 4D input" in m or "3D or higher" in m):
        return "rank"
    return "argument"


def torchinfo_mult_adds(module, out_shape):
    """torchinfo's LayerInfo.calculate_macs (torchinfo/layer_info.py), for one leaf module and its output."""
    macs = 0
    name = type(module).__name__
    for _, p in module.named_parameters():
        n = p.numel()
        if "Conv" in name:
            macs += n * math.prod(out_shape[:1] + out_shape[2:])
        elif "Linear" in name:
            macs += n * math.prod(out_shape[:-1])
        else:
            macs += out_shape[0] * n
    return macs


def run(input_shape, layers):
    x = torch.zeros(*input_shape)
    names = {"nn": nn, "torch": torch}
    names.update({k: getattr(nn, k) for k in dir(nn) if k[:1].isupper()})
    rows = []
    for k, text in enumerate(layers, start=1):
        try:
            module = eval(text.strip(), names)
            module.eval()  # as ConvScope runs BatchNorm and Dropout
            with torch.no_grad():
                x = module(x)
        except Exception as e:  # noqa: BLE001 - every refusal is data here
            return rows, {"layer": k, "kind": kind_of(e), "torch": str(e).splitlines()[0] if str(e) else type(e).__name__}
        rows.append({"shape": list(x.shape), "params": sum(p.numel() for p in module.parameters()),
                     "trainable": sum(p.numel() for p in module.parameters() if p.requires_grad),
                     "buffers": sum(b.numel() for b in module.buffers()),
                     "mult_adds": torchinfo_mult_adds(module, list(x.shape))})
    return rows, None


def receptive(input_shape, layers, at):
    """The gradient of output element `at` of the last layer with every weight 1 and the input 1."""
    names = {"nn": nn, "torch": torch}
    names.update({k: getattr(nn, k) for k in dir(nn) if k[:1].isupper()})
    modules = []
    for text in layers:
        m = eval(text, names)
        if isinstance(m, (nn.MaxPool2d, nn.AvgPool2d)):  # a window of ones counts the paths a pool has
            k, s, p = m.kernel_size, m.stride, m.padding
            d = m.dilation if isinstance(m, nn.MaxPool2d) else 1
            m = nn.Conv2d(1, 1, k, stride=s, padding=p, dilation=d, bias=False)
        for p in m.parameters():
            p.requires_grad_(False)
            p.fill_(1.0)
            p.requires_grad_(True)
        if isinstance(m, nn.Conv2d) and m.bias is not None:
            with torch.no_grad():
                m.bias.zero_()
        modules.append(m)
    x = torch.ones(*input_shape, requires_grad=True)
    y = nn.Sequential(*modules)(x)
    y[0, 0, at[0], at[1]].backward()
    return [[int(v) for v in row] for row in x.grad[0, 0].tolist()], list(y.shape)


# Single layers run on x[i] = 2·sin(0.37·i) (i in C order); learnable weights w[i] = cos(0.11·i) and biases
# b[i] = 0.1·cos(i), so the C++ test can make the same tensors. Outputs compared value by value.
VALUES = [
    ([1, 2, 5, 6], "ConvTranspose2d(2, 4, 3, stride=2, padding=1, output_padding=1, groups=2)"),
    ([1, 3, 4, 4], "ConvTranspose2d(3, 2, (2, 3), stride=(1, 2), dilation=2, bias=False)"),
    ([1, 2, 7, 9], "AdaptiveAvgPool2d((3, 4))"),
    ([1, 2, 5, 5], "AdaptiveMaxPool2d(2)"),
    ([2, 3, 4, 4], "BatchNorm2d(3)"),
    ([1, 3, 4, 4], "Dropout(0.3)"),
    ([1, 2, 4, 4], "ReLU6()"),
    ([1, 2, 4, 4], "LeakyReLU(0.2)"),
    ([1, 2, 4, 4], "ELU(alpha=0.5)"),
    ([1, 2, 4, 4], "GELU()"),
    ([1, 2, 4, 4], "GELU(approximate='tanh')"),
    ([1, 2, 4, 4], "SiLU()"),
    ([1, 2, 4, 4], "Hardswish()"),
    ([1, 2, 4, 4], "Sigmoid()"),
    ([1, 2, 4, 4], "Tanh()"),
    ([1, 4, 3, 3], "Softmax(dim=1)"),
    ([2, 5], "LogSoftmax(dim=1)"),
    ([1, 2, 4, 5], "ZeroPad2d((1, 2, 0, 3))"),
    ([1, 2, 4, 5], "ConstantPad2d(1, 0.5)"),
    ([1, 2, 4, 5], "ReflectionPad2d((3, 1, 2, 3))"),
    ([1, 2, 4, 5], "ReplicationPad2d((2, 0, 1, 3))"),
    ([1, 2, 3, 4], "Upsample(scale_factor=2)"),
    ([1, 2, 3, 4], "Upsample(size=(5, 7))"),
    ([1, 2, 3, 4], "Upsample(scale_factor=2, mode='bilinear')"),
    ([1, 2, 3, 4], "Upsample(size=(5, 7), mode='bilinear', align_corners=True)"),
    ([1, 7, 3, 3], "LocalResponseNorm(3, alpha=0.1, beta=0.75, k=2.0)"),
    ([1, 6, 2, 2], "LocalResponseNorm(2)"),
]


def values():
    names = {"nn": nn, "torch": torch}
    names.update({k: getattr(nn, k) for k in dir(nn) if k[:1].isupper()})
    out = []
    for shape, text in VALUES:
        m = eval(text, names)
        m.eval()
        with torch.no_grad():
            for name, p in m.named_parameters():
                if isinstance(m, nn.BatchNorm2d):
                    continue  # PyTorch's own init: weight 1, bias 0
                n = p.numel()
                f = (lambda i: math.cos(0.11 * i)) if name == "weight" else (lambda i: 0.1 * math.cos(i))
                p.copy_(torch.tensor([f(i) for i in range(n)], dtype=torch.float32).reshape(p.shape))
            n = math.prod(shape)
            x = torch.tensor([2 * math.sin(0.37 * i) for i in range(n)], dtype=torch.float32).reshape(shape)
            y = m(x)
        out.append({"layer": text, "input": shape, "shape": list(y.shape), "values": [float(v) for v in y.flatten()]})
    return out


def alexnet_fixtures(here):
    """Runs tests/network/alexnet_source.py's class: writes what print(model) prints, returns its leaf layers."""
    src = open(os.path.join(here, "alexnet_source.py")).read()
    cls = src[src.index("class AlexNet(nn.Module):"):src.index("class AlexNet_Weights")]
    scope = {"nn": nn, "torch": torch, "_log_api_usage_once": lambda m: None}
    exec(cls, scope)  # noqa: S102 - our own fixture
    model = scope["AlexNet"]()
    model.eval()
    with open(os.path.join(here, "alexnet_print.txt"), "w") as f:
        f.write(str(model) + "\n")
    rows = []
    hooks = [m.register_forward_hook(lambda m, i, o: rows.append(
        {"module": type(m).__name__, "shape": list(o.shape), "params": sum(p.numel() for p in m.parameters()),
         "mult_adds": torchinfo_mult_adds(m, list(o.shape))}))
        for m in model.modules() if not list(m.children())]
    with torch.no_grad():
        model(torch.zeros(1, 3, 224, 224))
    for h in hooks:
        h.remove()
    return {"input": [1, 3, 224, 224], "expect": rows, "total_params": sum(p.numel() for p in model.parameters())}


def main():
    out = []
    for name, input_shape, layers in STACKS:
        rows, error = run(input_shape, layers)
        entry = {"name": name, "input": input_shape, "layers": layers, "expect": rows}
        if error:
            entry["error"] = error
        out.append(entry)
    for name, input_shape, layers in BUNDLED:
        rows, error = run(input_shape, layers)
        assert error is None, (name, error)
        out.append({"name": "bundled: " + name, "input": input_shape, "layers": layers, "expect": rows})
    here = os.path.dirname(os.path.abspath(__file__))
    fields = []
    for name, input_shape, layers, at in RECEPTIVE:
        grad, shape = receptive(input_shape, layers, at)
        fields.append({"name": name, "input": input_shape, "layers": layers, "at": list(at), "output": shape,
                       "paths": grad})
    alexnet = alexnet_fixtures(here)
    path = os.path.join(here, "stacks.json")
    with open(path, "w") as f:
        json.dump({"generated_by": "tests/network/make_expectations.py", "torch": torch.__version__, "stacks": out,
                   "receptive_fields": fields, "torchvision_alexnet": alexnet, "values": values()}, f, indent=None, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {path}: {len(out)} stacks, {sum('error' in s for s in out)} refused")


if __name__ == "__main__":
    main()
