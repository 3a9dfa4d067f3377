#!/usr/bin/python3
"""Golden results for `convscope filter`, computed by PyTorch (not by ConvScope).

Writes input.png (a replicable 13x11 RGB photo of noise), one expected PNG per case, and manifest.txt with lines
`EXPECTED.png exact|near ARGS...`; filter_command.test.cpp runs `convscope filter input.png OUT ARGS...` and
compares. `near` (float weights) allows rounding to land one level apart, since summation order may differ.
Run from this folder with /usr/bin/python3 (numpy, torch, PIL).
"""
import math

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

rng = np.random.default_rng(2024)
rgb = rng.integers(0, 256, size=(11, 13, 3), dtype=np.uint8)
Image.fromarray(rgb, "RGB").save("input.png")


def gaussian(n, s):
    c = (n - 1) / 2
    g = np.array([[math.exp(-((x - c) ** 2 + (y - c) ** 2) / (2 * s * s)) for x in range(n)] for y in range(n)])
    return g / g.sum()


def log(n, s):
    c = (n - 1) / 2
    k = np.zeros((n, n))
    for y in range(n):
        for x in range(n):
            q = ((x - c) ** 2 + (y - c) ** 2) / (2 * s * s)
            k[y, x] = -(1 - q) * math.exp(-q) / (math.pi * s * s)
    return k - k.mean()


KERNELS = {
    "sobel-x": (np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], float), "exact"),
    "emboss": (np.array([[-2, -1, 0], [-1, 1, 1], [0, 1, 2]], float), "exact"),
    "outline": (np.array([[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]], float), "exact"),
    "box3": (np.ones((3, 3)) / 9, "near"),
    "gaussian5": (gaussian(5, 0.3 * (2 - 1) + 0.8), "near"),
    "gaussian3:2": (gaussian(3, 2.0), "near"),
    "log5": (log(5, 1.1), "near"),
}

# (name, extra args, grey, stride, padding, dilation, mode, map)
CASES = [
    ("sobel-x", "", False, 1, 0, 1, "zeros", "clamp"),
    ("sobel-x", "--gray --map abs", True, 1, 0, 1, "zeros", "abs"),
    ("emboss", "--padding 1 --padding-mode reflect", False, 1, 1, 1, "reflect", "clamp"),
    ("outline", "--stride 2 --padding 2 --padding-mode circular --map abs", False, 2, 2, 1, "circular", "abs"),
    ("box3", "--stride 2 --gray", True, 2, 0, 1, "zeros", "clamp"),
    ("gaussian5", "--padding 2 --padding-mode replicate", False, 1, 2, 1, "replicate", "clamp"),
    ("gaussian3:2", "--dilation 2 --padding 1", False, 1, 1, 2, "zeros", "clamp"),
    ("log5", "--padding same --map normalize", False, 1, 2, 1, "zeros", "normalize"),
    ("log5", "--gray --stride 3,2 --map normalize", True, (3, 2), 0, 1, "zeros", "normalize"),
]


def run(name, grey, stride, pad, dil, mode, mapping):
    x = torch.from_numpy(rgb.astype(np.float32)).permute(2, 0, 1)  # 3xHxW
    if grey:
        x = (torch.tensor(0.299, dtype=torch.float32) * x[0] + torch.tensor(0.587, dtype=torch.float32) * x[1]
             + torch.tensor(0.114, dtype=torch.float32) * x[2])[None]
    c = x.shape[0]
    k = torch.from_numpy(KERNELS[name][0].astype(np.float32))[None, None].repeat(c, 1, 1, 1)
    if mode == "zeros":
        y = F.conv2d(x[None], k, stride=stride, padding=pad, dilation=dil, groups=c)[0]
    else:
        y = F.conv2d(F.pad(x[None], (pad,) * 4, mode=mode), k, stride=stride, dilation=dil, groups=c)[0]
    if mapping == "normalize":
        lo, hi = y.min(), y.max()
        z = torch.round((y - lo) / (hi - lo) * 255)
    elif mapping == "abs":
        z = torch.round(y).abs().clamp(0, 255)
    else:
        z = torch.round(y).clamp(0, 255)
    z = z.to(torch.uint8).permute(1, 2, 0).numpy()
    return z[:, :, 0] if c == 1 else z


with open("manifest.txt", "w") as manifest:
    for i, (name, args, grey, stride, pad, dil, mode, mapping) in enumerate(CASES):
        out = f"expected-{i}.png"
        z = run(name, grey, stride, pad, dil, mode, mapping)
        Image.fromarray(z, "L" if z.ndim == 2 else "RGB").save(out)
        manifest.write(f"{out} {KERNELS[name][1]} --kernel {name} {args}".rstrip() + "\n")
