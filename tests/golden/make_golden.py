#!/usr/bin/python3
"""Golden data for ConvScope's engine, computed by PyTorch (nn.Conv2d, nn.MaxPool2d, nn.AvgPool2d,
nn.ConvTranspose2d, F.unfold, and conv2d with the kernel flipped).

Rerun (from the repository root, with Debian's python3-torch and python3-numpy):

    /usr/bin/python3 tests/golden/make_golden.py

It rewrites tests/golden/cases.json and tests/golden/data/ from scratch. The output is deterministic: every case
draws its inputs from its own seed (a CRC of its name), so adding a case changes no other case's files. CI has no
torch; the generated files are committed and read by tests/golden.test.cpp and tests/npy.test.cpp.

cases.json lists every case: name, op ("conv", "pool", "conv_transpose" or "unfold"; a conv with "flip": true is
torch.conv2d(x, w.flip(-1, -2)), w.npy holding the unflipped w), its parameters as the strings core's parse_pair,
parse_padding and parse_padding_mode accept ("2,1", "same", "reflect"), and the shapes. Each case's folder holds
x.npy, y.npy and, for conv and conv_transpose, w.npy and b.npy (when bias is true), all float32 C order.
Regenerating on another machine may change the last bits of the older cases' y.npy (torch's summation order
follows its thread count); commit only the cases that were added.

data/npy/ holds small fixtures written by numpy itself in the dtypes, byte orders, memory orders and format
versions that core/io/npy.cpp reads; each is arange(size).reshape(shape) shifted so that it is not trivially zero
(see write_npy_fixtures).
"""

import json
import math
import os
import shutil
import warnings
import zlib

import numpy as np
import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "data")

LECTURE_X = [[1, 2, 3, 0, 1], [0, 1, 5, 1, 0], [1, 0, 2, 2, 1], [1, 1, 2, 0, 0], [1, 0, 1, 1, 1]]
LECTURE_W = [[1, 0, 1], [0, 1, 0], [1, 0, 1]]


def pair_text(v):
    """2 -> "2", (2, 1) -> "2,1", "same" -> "same": the form core's parsers accept."""
    if isinstance(v, str):
        return v
    if isinstance(v, int):
        return str(v)
    return ",".join(str(int(a)) for a in v)


def rng_for(name):
    return np.random.default_rng(zlib.crc32(name.encode()))


def uniform(rng, shape):
    return rng.uniform(-1.0, 1.0, size=shape).astype(np.float32)


def given_or_uniform(rng, shape, values):
    """`values` as a float32 array of `shape`, or uniform values drawn from `rng` when it is None."""
    return uniform(rng, shape) if values is None else np.asarray(values, dtype=np.float32).reshape(shape)


def load_layer(layer, rng, x_shape, w_shape, bias, x=None, w=None):
    """A weighted layer's data, drawn in this order: x and w (unless given), then the bias (one per output
    channel, when the layer has one); w and the bias are copied into the layer. Returns x, w, b (b None
    without a bias)."""
    x = given_or_uniform(rng, x_shape, x)
    w = given_or_uniform(rng, w_shape, w)
    b = uniform(rng, (layer.bias.shape[0],)) if bias else None
    with torch.no_grad():
        layer.weight.copy_(torch.from_numpy(w))
        if bias:
            layer.bias.copy_(torch.from_numpy(b))
    return x, w, b


def save(folder, fname, array):
    a = np.ascontiguousarray(array, dtype=np.float32)
    np.save(os.path.join(folder, fname), a, allow_pickle=False)


def write_case(name, arrays, case):
    """Writes the case's folder, one NAME.npy per entry of `arrays` in order (a None entry, such as the bias
    of a case without one, is left out), and lists `case` in cases.json."""
    folder = os.path.join(DATA, name)
    os.makedirs(folder)
    for stem, array in arrays.items():
        if array is not None:
            save(folder, stem + ".npy", array)
    CASES.append(case)


CASES = []


def conv(name, x_shape, out_channels, kernel, stride=1, padding=0, dilation=1, groups=1, bias=True,
         padding_mode="zeros", x=None, w=None, note=""):
    """One nn.Conv2d case; x_shape is N×C×H×W or an unbatched C×H×W."""
    rng = rng_for(name)
    in_channels = x_shape[-3]
    layer = nn.Conv2d(in_channels, out_channels, kernel, stride=stride, padding=padding, dilation=dilation,
                      groups=groups, bias=bias, padding_mode=padding_mode)
    kh, kw = layer.kernel_size
    x, w, b = load_layer(layer, rng, x_shape, (out_channels, in_channels // groups, kh, kw), bias, x, w)
    with torch.no_grad():
        xt = torch.from_numpy(x)
        if xt.dim() == 3 and padding_mode == "circular":
            # torch 1.13's F.pad cannot pad a 3-D input circularly on two axes; later versions run an unbatched
            # Conv2d as the batched one on x[None] and squeeze, which is what this does.
            y = layer(xt[None])[0].numpy()
        else:
            y = layer(xt).numpy()
    write_case(name, {"x": x, "w": w, "b": b, "y": y}, {
        "name": name, "op": "conv", "note": note,
        "stride": pair_text(stride), "padding": pair_text(padding), "dilation": pair_text(dilation),
        "groups": groups, "padding_mode": padding_mode, "bias": bias,
        "x_shape": list(x.shape), "w_shape": list(w.shape), "y_shape": list(y.shape),
    })
    return y


def conv_flip(name, x_shape, out_channels, kernel, stride=1, padding=0, dilation=1, groups=1, bias=True,
              note=""):
    """A true convolution (ConvScope's --flip): torch.conv2d(x, w.flip(-1, -2)); w.npy holds the unflipped w."""
    rng = rng_for(name)
    kh, kw = (kernel, kernel) if isinstance(kernel, int) else kernel
    x = uniform(rng, x_shape)
    w = uniform(rng, (out_channels, x_shape[-3] // groups, kh, kw))
    b = uniform(rng, (out_channels,)) if bias else None
    with torch.no_grad():
        y = torch.conv2d(torch.from_numpy(x), torch.from_numpy(w).flip(-1, -2),
                         torch.from_numpy(b) if bias else None, stride=stride, padding=padding,
                         dilation=dilation, groups=groups).numpy()
    write_case(name, {"x": x, "w": w, "b": b, "y": y}, {
        "name": name, "op": "conv", "note": note, "flip": True,
        "stride": pair_text(stride), "padding": pair_text(padding), "dilation": pair_text(dilation),
        "groups": groups, "padding_mode": "zeros", "bias": bias,
        "x_shape": list(x.shape), "w_shape": list(w.shape), "y_shape": list(y.shape),
    })
    return y


def conv_transpose(name, x_shape, out_channels, kernel, stride=1, padding=0, output_padding=0, dilation=1,
                   groups=1, bias=True, x=None, w=None, note=""):
    """One nn.ConvTranspose2d case; weight C_in × C_out/groups × kH × kW."""
    rng = rng_for(name)
    in_channels = x_shape[-3]
    layer = nn.ConvTranspose2d(in_channels, out_channels, kernel, stride=stride, padding=padding,
                               output_padding=output_padding, dilation=dilation, groups=groups, bias=bias)
    kh, kw = layer.kernel_size
    x, w, b = load_layer(layer, rng, x_shape, (in_channels, out_channels // groups, kh, kw), bias, x, w)
    with torch.no_grad():
        y = layer(torch.from_numpy(x)).numpy()
    write_case(name, {"x": x, "w": w, "b": b, "y": y}, {
        "name": name, "op": "conv_transpose", "note": note,
        "stride": pair_text(stride), "padding": pair_text(padding), "output_padding": pair_text(output_padding),
        "dilation": pair_text(dilation), "groups": groups, "bias": bias,
        "x_shape": list(x.shape), "w_shape": list(w.shape), "y_shape": list(y.shape),
    })
    return y


def unfold(name, x_shape, kernel, stride=1, padding=0, dilation=1, x=None, note=""):
    """One torch.nn.functional.unfold (im2col) case."""
    rng = rng_for(name)
    x = given_or_uniform(rng, x_shape, x)
    with torch.no_grad():
        y = torch.nn.functional.unfold(torch.from_numpy(x), kernel, dilation=dilation, padding=padding,
                                       stride=stride).numpy()
    write_case(name, {"x": x, "y": y}, {
        "name": name, "op": "unfold", "note": note, "kernel": pair_text(kernel), "stride": pair_text(stride),
        "padding": pair_text(padding), "dilation": pair_text(dilation),
        "x_shape": list(x.shape), "y_shape": list(y.shape),
    })
    return y


def transpose_cases():
    # The stepper's presets: 2×2 → 5×5 (k3, s2: the checkerboard) and DCGAN's 4×4 k4 s2 p1 → 8×8.
    y = conv_transpose("transpose_2x2_k3_s2", (1, 1, 2, 2), 1, 3, stride=2, bias=False, x=[[1, 2], [3, 4]],
                       w=list(range(1, 10)), note="the checkerboard preset")
    assert y.reshape(-1).tolist()[12] == 36
    assert conv_transpose("transpose_dcgan_4x4_k4_s2_p1", (1, 3, 4, 4), 2, 4, stride=2, padding=1).shape == \
        (1, 2, 8, 8)
    conv_transpose("transpose_basic_bias", (1, 3, 5, 5), 4, 3)
    conv_transpose("transpose_no_bias_batch_3", (3, 2, 4, 5), 3, 3, bias=False)
    conv_transpose("transpose_stride_2_1", (1, 2, 4, 5), 3, 3, stride=(2, 1))
    conv_transpose("transpose_stride_gt_kernel", (1, 2, 4, 4), 2, 2, stride=3, note="gaps of zeros")
    conv_transpose("transpose_padding_1", (1, 2, 5, 5), 2, 3, padding=1)
    conv_transpose("transpose_padding_2_1", (1, 2, 5, 6), 2, 3, stride=2, padding=(2, 1))
    conv_transpose("transpose_padding_gt_span", (1, 1, 6, 6), 2, 3, padding=3,
                   note="padding > d(k-1): the gather form crops")
    conv_transpose("transpose_output_padding_1", (1, 2, 4, 4), 2, 3, stride=2, padding=1, output_padding=1)
    conv_transpose("transpose_output_padding_2_1", (1, 2, 4, 3), 2, 3, stride=(3, 2), padding=1,
                   output_padding=(2, 1))
    conv_transpose("transpose_output_padding_lt_dilation", (1, 1, 4, 4), 1, 3, dilation=3, output_padding=2,
                   note="stride 1: output_padding below the dilation")
    conv_transpose("transpose_dilation_2", (1, 2, 5, 5), 2, 3, dilation=2)
    conv_transpose("transpose_dilation_2_3_stride_2", (1, 2, 4, 5), 2, 3, stride=2, dilation=(2, 3))
    conv_transpose("transpose_groups_2", (1, 4, 4, 4), 6, 3, groups=2)
    conv_transpose("transpose_depthwise", (1, 3, 5, 5), 3, 3, stride=2, groups=3, padding=1)
    conv_transpose("transpose_unbatched", (3, 4, 5), 2, 3, stride=2, note="C×H×W input, C×H×W output")
    conv_transpose("transpose_unbatched_groups", (4, 3, 3), 4, (2, 3), stride=(1, 2), groups=2)
    conv_transpose("transpose_rect_kernel_rect_input", (1, 2, 3, 7), 3, (4, 2), stride=(2, 3))
    conv_transpose("transpose_kernel_1x1_stride_2", (2, 3, 3, 4), 2, 1, stride=2)
    conv_transpose("transpose_width_17_vector_tail", (1, 5, 6, 17), 7, 3, padding=1,
                   note="widths that are not a vector multiple")
    conv_transpose("transpose_many_channels", (1, 16, 6, 6), 8, 3, stride=2, note="long sums")
    conv_transpose("transpose_all_params", (2, 4, 5, 4), 6, (3, 2), stride=(2, 3), padding=(1, 2),
                   output_padding=(1, 2), dilation=(2, 1), groups=2)
    conv_transpose("transpose_all_params_unbatched", (6, 4, 5), 3, (2, 4), stride=(3, 2), padding=(2, 1),
                   output_padding=(0, 1), dilation=(1, 2), groups=3, bias=False)

    # Unfold (im2col).
    unfold("unfold_lecture", (1, 1, 5, 5), 3, x=LECTURE_X, note="the lecture example: 9 rows × 9 windows")
    unfold("unfold_channels_batch", (2, 3, 5, 6), (2, 3))
    unfold("unfold_stride_padding", (1, 2, 6, 7), 3, stride=2, padding=1)
    unfold("unfold_dilation_rect", (1, 2, 8, 7), (2, 3), stride=(1, 2), padding=(0, 2), dilation=(3, 1))
    unfold("unfold_unbatched", (2, 4, 5), 2, note="C×H×W gives (C·kH·kW) × L")

    # Flip (true convolution).
    conv_flip("flip_basic", (1, 2, 6, 6), 3, 3)
    conv_flip("flip_rect_kernel_stride_padding", (2, 2, 7, 8), 2, (2, 3), stride=(2, 1), padding=(1, 2))
    conv_flip("flip_dilation_groups_unbatched", (4, 8, 7), 4, 3, dilation=2, groups=2, bias=False)


def pool(name, op, x_shape, kernel, stride=None, padding=0, dilation=1, ceil_mode=False,
         count_include_pad=True, x=None, note=""):
    """One nn.MaxPool2d / nn.AvgPool2d case; stride None is PyTorch's default (the kernel)."""
    rng = rng_for(name)
    x = given_or_uniform(rng, x_shape, x)
    if op == "max":
        layer = nn.MaxPool2d(kernel, stride=stride, padding=padding, dilation=dilation, ceil_mode=ceil_mode)
    else:
        assert dilation == 1, "AvgPool2d has no dilation"
        layer = nn.AvgPool2d(kernel, stride=stride, padding=padding, ceil_mode=ceil_mode,
                             count_include_pad=count_include_pad)
    with torch.no_grad():
        y = layer(torch.from_numpy(x)).numpy()
    write_case(name, {"x": x, "y": y}, {
        "name": name, "op": "pool", "note": note, "pool": op,
        "kernel": pair_text(kernel), "stride": None if stride is None else pair_text(stride),
        "padding": pair_text(padding), "dilation": pair_text(dilation),
        "ceil_mode": ceil_mode, "count_include_pad": count_include_pad,
        "x_shape": list(x.shape), "y_shape": list(y.shape),
    })
    return y


def conv_cases():
    # The lecture's worked examples and its tiny CNN.
    y = conv("lecture_5x5", (1, 1, 5, 5), 1, 3, bias=False, x=LECTURE_X, w=LECTURE_W,
             note="the lecture's example: [[8,9,8],[8,5,9],[6,5,5]]")
    assert y.reshape(-1).tolist() == [8, 9, 8, 8, 5, 9, 6, 5, 5]
    conv("lecture_5x5_padding_1", (1, 1, 5, 5), 1, 3, padding=1, bias=False, x=LECTURE_X, w=LECTURE_W,
         note="the lecture's 7x7 grid with a ring of zeros")
    cnn = conv("lecture_cnn_conv", (1, 1, 28, 28), 5, 5, note="Conv2d(1,5,5) on 1x1x28x28 -> 1x5x24x24")
    assert cnn.shape == (1, 5, 24, 24)
    z = pool("lecture_cnn_pool", "max", (1, 5, 24, 24), 2, x=cnn, note="MaxPool2d(2) -> 1x5x12x12")
    assert z.shape == (1, 5, 12, 12)

    # The lecture's five output-size exercises, as real convolutions.
    assert conv("lecture_size_227_k11_s4", (1, 1, 227, 227), 1, 11, stride=4, bias=False).shape[-2:] == (55, 55)
    assert conv("lecture_size_64_k7_s2", (1, 1, 64, 64), 1, 7, stride=2, bias=False).shape[-2:] == (29, 29)
    assert conv("lecture_size_32_k5_p2", (1, 1, 32, 32), 1, 5, padding=2, bias=False).shape[-2:] == (32, 32)
    assert conv("lecture_size_32x64_k5", (1, 1, 32, 64), 1, 5, bias=False).shape[-2:] == (28, 60)
    assert conv("lecture_size_64x32_k3_p1", (1, 1, 64, 32), 1, 3, padding=1, bias=False).shape[-2:] == (64, 32)

    # Each parameter alone.
    conv("basic_bias", (1, 3, 8, 8), 4, 3)
    conv("basic_no_bias", (1, 3, 8, 8), 4, 3, bias=False)
    conv("batch_3", (3, 2, 6, 7), 3, 3)
    conv("kernel_1x1", (2, 5, 4, 4), 3, 1)
    conv("kernel_equals_input", (1, 2, 5, 5), 2, 5, note="one output element")
    conv("stride_2", (1, 2, 9, 9), 3, 3, stride=2)
    conv("stride_2_1", (1, 2, 9, 8), 3, 3, stride=(2, 1))
    conv("stride_gt_kernel", (1, 1, 10, 10), 2, 2, stride=3)
    conv("padding_1", (1, 2, 6, 6), 2, 3, padding=1)
    conv("padding_2_1", (1, 2, 6, 6), 2, 3, padding=(2, 1))
    conv("padding_gt_kernel", (1, 1, 4, 4), 1, 2, padding=3, note="whole rows of windows in the padding")
    conv("padding_same_k3", (1, 2, 7, 7), 2, 3, padding="same")
    conv("padding_same_k4x2", (1, 2, 7, 6), 2, (4, 2), padding="same", note="even kernel: extra pad bottom/right")
    conv("padding_same_dilated", (1, 2, 9, 9), 2, 3, padding="same", dilation=(2, 3))
    conv("padding_valid", (1, 2, 7, 6), 2, 3, padding="valid")
    conv("mode_reflect", (1, 2, 6, 6), 2, 3, padding=1, padding_mode="reflect")
    conv("mode_reflect_2_1", (1, 2, 5, 7), 2, (3, 2), padding=(2, 1), padding_mode="reflect")
    conv("mode_reflect_max", (1, 1, 3, 4), 1, 3, padding=(2, 3), padding_mode="reflect",
         note="reflect padding one less than the input")
    conv("mode_replicate", (1, 2, 6, 6), 2, 3, padding=2, padding_mode="replicate")
    conv("mode_replicate_wide", (1, 1, 3, 3), 1, 3, padding=4, padding_mode="replicate",
         note="replicate padding wider than the input")
    conv("mode_circular", (1, 2, 6, 6), 2, 3, padding=1, padding_mode="circular")
    conv("mode_circular_full", (1, 1, 3, 4), 1, 3, padding=(3, 4), padding_mode="circular",
         note="circular padding equal to the input")
    conv("dilation_2", (1, 2, 9, 9), 2, 3, dilation=2)
    conv("dilation_2_3", (1, 2, 9, 11), 2, 3, dilation=(2, 3))
    conv("groups_2", (1, 4, 6, 6), 4, 3, groups=2)
    conv("groups_3_out_6", (1, 3, 6, 6), 6, 3, groups=3, note="two outputs per group")
    conv("depthwise", (1, 4, 6, 6), 4, 3, groups=4, padding=1)
    conv("depthwise_multiplier_2", (2, 3, 6, 5), 6, 3, groups=3)
    conv("unbatched", (3, 6, 7), 2, 3, note="C×H×W input, C×H×W output")
    conv("rect_input_rect_kernel", (1, 2, 7, 13), 3, (3, 5))
    conv("rect_kernel_1x4", (1, 1, 5, 9), 2, (1, 4))
    conv("many_channels", (1, 16, 8, 8), 8, 3, padding=1, note="long sums: float tolerance")
    conv("input_1x1_padding_1", (1, 2, 1, 1), 3, 3, padding=1, note="only the centre tap is real")
    conv("input_1x1_replicate_2", (1, 1, 1, 1), 1, 3, padding=2, padding_mode="replicate")
    conv("width_17_vector_tail", (1, 5, 9, 17), 7, 3, padding=1, note="widths that are not a vector multiple")
    conv("width_33_stride_2", (1, 3, 6, 33), 4, (3, 5), stride=(1, 2), padding=(0, 2))
    # Stride-2 layers with whole vectors of output channels: the simd backend's conv_c (32 + 16 channels on
    # AVX-512, whole groups elsewhere), the stem's k7, and a dilated reflect-padded one with stride 1 vertically.
    conv("layer_48_k3_s2", (1, 16, 10, 30), 48, 3, stride=2, padding=1,
         note="channel-vector kernel, a narrower last group")
    conv("stem_64_k7_s2", (1, 3, 16, 30), 64, 7, stride=2, padding=3, note="the ResNet stem's shape, smaller")
    # 3×3 stride-1 layers of 32 channels a group: the simd backend's Winograd F(2×2, 3×3), an odd output height
    # (a last tile row of one output row), whole and part-filled tile vectors, groups and reflect padding.
    conv("winograd_32_k3", (1, 32, 7, 32), 32, 3, padding=1, note="Winograd F(2x2,3x3) in the simd backend")
    conv("winograd_groups_reflect", (2, 64, 5, 24), 64, 3, padding=1, groups=2, padding_mode="reflect",
         note="Winograd F(2x2,3x3) in the simd backend, two groups of 32")
    conv("layer_32_s1x2_dilated_reflect", (2, 4, 9, 21), 32, 3, stride=(1, 2), padding=(1, 2), dilation=(1, 2),
         padding_mode="reflect")

    # Combinations.
    conv("same_reflect_k5", (1, 2, 7, 7), 2, 5, padding="same", padding_mode="reflect")
    conv("same_circular_k4", (1, 2, 6, 6), 2, 4, padding="same", padding_mode="circular")
    conv("same_replicate_dilated_unbatched", (2, 6, 6), 3, (3, 2), padding="same", dilation=(2, 1),
         padding_mode="replicate")
    conv("replicate_stride_2_dilation_2", (1, 2, 10, 9), 2, 3, stride=2, padding=2, dilation=2,
         padding_mode="replicate")
    conv("groups_bias_stride_padding", (2, 4, 8, 7), 6, 3, stride=2, padding=1, groups=2)
    conv("unbatched_groups_reflect", (4, 6, 6), 4, 3, padding=1, groups=2, padding_mode="reflect")
    conv("all_params_reflect", (2, 4, 9, 10), 4, (3, 2), stride=(2, 1), padding=(1, 2), dilation=(2, 1),
         groups=2, padding_mode="reflect")
    conv("all_params_circular_unbatched", (4, 8, 9), 2, 3, stride=3, padding=2, dilation=2, groups=2,
         padding_mode="circular")
    conv("all_params_zeros_depthwise", (1, 3, 11, 8), 3, (2, 3), stride=(1, 2), padding=(2, 1),
         dilation=(3, 2), groups=3, bias=False)
    conv("same_reflect_k4x2_even", (1, 2, 6, 7), 2, (4, 2), padding="same", padding_mode="reflect",
         note="uneven 'same' padding 1+2 rows, 0+1 columns, reflected")
    conv("stride_dilation_valid_rect", (1, 1, 12, 7), 1, (3, 2), stride=(3, 2), padding="valid",
         dilation=(2, 2))


def pool_cases():
    # Max pooling.
    pool("max_k2_default_stride", "max", (1, 2, 6, 6), 2)
    pool("max_k3_default_stride", "max", (1, 1, 9, 10), 3, note="stride defaults to the kernel; 1 column left")
    pool("max_k3_s1", "max", (1, 2, 6, 6), 3, stride=1)
    pool("max_k3_s2", "max", (2, 2, 7, 7), 3, stride=2)
    pool("max_rect_k2_3_s1_2", "max", (1, 2, 7, 9), (2, 3), stride=(1, 2))
    pool("max_padding_1", "max", (1, 1, 5, 5), 3, stride=2, padding=1)
    pool("max_padding_1_0", "max", (1, 2, 6, 7), (2, 3), stride=(2, 1), padding=(1, 0))
    pool("max_ceil_mode", "max", (1, 1, 8, 8), 3, stride=2, ceil_mode=True)
    pool("max_ceil_mode_padding", "max", (1, 1, 5, 6), 2, stride=2, padding=1, ceil_mode=True,
         note="the last window would start in the padding and is dropped")
    pool("max_dilation_2", "max", (1, 2, 9, 9), 3, stride=1, dilation=2)
    pool("max_dilation_2_1_padding_ceil", "max", (1, 1, 10, 9), (3, 2), stride=2, padding=1,
         dilation=(2, 1), ceil_mode=True)
    pool("max_unbatched", "max", (3, 6, 5), 2, stride=1)
    pool("max_kernel_1_stride_2", "max", (1, 1, 5, 6), 1, stride=2)
    pool("max_stride_gt_kernel_ceil", "max", (1, 1, 9, 9), 2, stride=3, ceil_mode=True)
    pool("max_input_1x1_padding_1", "max", (1, 2, 1, 1), 3, padding=1)
    pool("max_width_37_padding", "max", (1, 3, 5, 37), 3, stride=1, padding=1, note="a vector tail")
    nan, inf = math.nan, math.inf
    pool("max_nan_propagates", "max", (1, 1, 4, 4), 2,
         x=[[1, nan, 3, 4], [5, 6, 7, 8], [-1, -2, nan, nan], [-3, -4, 9, nan]],
         note="NaN in a window gives NaN")
    pool("max_inf", "max", (1, 1, 4, 6), 2, stride=(2, 1), padding=1,
         x=[[inf, 1, -inf, -inf, 2, 0], [0, 0, -inf, -inf, 3, -1], [-inf, -inf, -inf, -inf, 1, 2],
            [-inf, -inf, 5, -inf, inf, -2]],
         note="+inf wins; a window of -inf gives -inf")

    # Average pooling.
    pool("avg_k2_default_stride", "avg", (1, 2, 6, 6), 2)
    pool("avg_k3_s1", "avg", (1, 1, 6, 7), 3, stride=1)
    pool("avg_padding_1_include_pad", "avg", (1, 1, 5, 5), 3, stride=2, padding=1)
    pool("avg_padding_1_exclude_pad", "avg", (1, 1, 5, 5), 3, stride=2, padding=1, count_include_pad=False)
    pool("avg_ceil_mode", "avg", (1, 1, 7, 7), 2, ceil_mode=True, note="clipped last window")
    pool("avg_ceil_mode_exclude_pad", "avg", (1, 2, 7, 6), 3, stride=2, ceil_mode=True,
         count_include_pad=False)
    pool("avg_ceil_mode_padding_include_pad", "avg", (1, 1, 6, 7), 3, stride=2, padding=1, ceil_mode=True)
    pool("avg_ceil_mode_padding_exclude_pad", "avg", (1, 1, 6, 7), 3, stride=2, padding=1, ceil_mode=True,
         count_include_pad=False)
    pool("avg_rect_padding", "avg", (1, 2, 6, 8), (2, 3), stride=(1, 2), padding=1)
    pool("avg_rect_default_stride", "avg", (2, 3, 9, 8), (3, 2))
    pool("avg_unbatched", "avg", (2, 6, 6), 2, stride=1, padding=1)
    pool("avg_stride_gt_kernel", "avg", (1, 1, 10, 11), 2, stride=3)
    pool("avg_input_2x1_include_pad", "avg", (1, 2, 2, 1), 3, stride=1, padding=1)
    pool("avg_input_2x1_exclude_pad", "avg", (1, 2, 2, 1), 3, stride=1, padding=1, count_include_pad=False)
    pool("avg_width_37_padding", "avg", (1, 3, 5, 37), 3, stride=1, padding=1, count_include_pad=False)


# Values of the npy fixtures: (name, dtype, shape, fortran, version).
NPY_FIXTURES = [
    ("f4_rank0", "<f4", (), False, (1, 0)),
    ("f4_rank1", "<f4", (5,), False, (1, 0)),
    ("f4_rank2", "<f4", (2, 3), False, (1, 0)),
    ("f4_rank3", "<f4", (2, 3, 4), False, (1, 0)),
    ("f4_rank4", "<f4", (2, 1, 3, 2), False, (1, 0)),
    ("f4_empty", "<f4", (0, 3), False, (1, 0)),
    ("f8", "<f8", (2, 3), False, (1, 0)),
    ("i4", "<i4", (2, 3), False, (1, 0)),
    ("i8", "<i8", (2, 3), False, (1, 0)),
    ("f4_big_endian", ">f4", (2, 3), False, (1, 0)),
    ("f8_big_endian", ">f8", (3, 2), False, (1, 0)),
    ("i4_big_endian", ">i4", (2, 2), False, (1, 0)),
    ("i8_big_endian", ">i8", (2, 2), False, (1, 0)),
    ("f4_fortran", "<f4", (2, 3, 4), True, (1, 0)),
    ("f8_fortran_big_endian", ">f8", (3, 4), True, (1, 0)),
    ("f4_version_2", "<f4", (2, 3), False, (2, 0)),
    ("i8_version_3", "<i8", (4,), False, (3, 0)),
]


def npy_fixture_values(dtype, shape):
    """arange shifted below zero; floats get a .5 so that fractions survive."""
    n = int(np.prod(shape)) if shape else 1
    base = np.arange(n).reshape(shape) - 3
    return (base + 0.5).astype(dtype) if dtype[1] == "f" else base.astype(dtype)


def write_npy_fixtures():
    folder = os.path.join(DATA, "npy")
    os.makedirs(folder)
    for name, dtype, shape, fortran, version in NPY_FIXTURES:
        a = npy_fixture_values(dtype, shape)
        if fortran:
            a = np.asfortranarray(a)
            assert a.flags.f_contiguous and not a.flags.c_contiguous
        with open(os.path.join(folder, name + ".npy"), "wb") as f:
            np.lib.format.write_array(f, a, version=version, allow_pickle=False)


def main():
    # torch warns that an even kernel with padding='same' makes a padded copy; that is expected here.
    warnings.filterwarnings("ignore", message="Using padding='same'")
    torch.manual_seed(0)  # nothing random is drawn from torch, but keep it fixed anyway
    if os.path.isdir(DATA):
        shutil.rmtree(DATA)
    os.makedirs(DATA)
    conv_cases()
    pool_cases()
    transpose_cases()
    write_npy_fixtures()
    names = [c["name"] for c in CASES]
    assert len(names) == len(set(names)), "case names must be unique"
    # One case per line, so that a regenerated manifest diffs readably.
    with open(os.path.join(HERE, "cases.json"), "w") as f:
        f.write('{"generator": "tests/golden/make_golden.py", "torch": %s,\n "cases": [\n' %
                json.dumps(torch.__version__.split("+")[0]))
        f.write(",\n".join("  " + json.dumps(c) for c in CASES))
        f.write("\n]}\n")
    size = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(DATA) for f in fs)
    print(f"{len(CASES)} cases, data {size / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
