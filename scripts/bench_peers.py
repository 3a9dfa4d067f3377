#!/usr/bin/env python3
"""The peers' side of scripts/bench.sh, in the same run: PyTorch's conv2d on the CNN layer shapes of
tests/bench/conv.bench.cpp (same names, same thread count as the simd backend: one per CPU), and the end-to-end
photo filter, `convscope filter` against OpenCV's imread + filter2D + imwrite, on a 12 MP JPEG written here.

Usage: bench_peers.py OUT.json CONVSCOPE_BINARY [--quick]. Prints nothing but progress; bench_table.py reads the
JSON: {"torch": {layer: seconds}, "filter": {"convscope": s, "opencv": s}, "threads": n, "torch_version": v}.
Each figure is the median of several runs."""
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

# name: (c, o, k, h, w, pad, stride, groups), as kLayers in tests/bench/conv.bench.cpp.
LAYERS = {
    "1to5_k5_28x28": (1, 5, 5, 28, 28, 0, 1, 1),
    "3to8_k3_256x256": (3, 8, 3, 256, 256, 1, 1, 1),
    "16to16_k3_256x256": (16, 16, 3, 256, 256, 1, 1, 1),
    "64to64_k3_128x128": (64, 64, 3, 128, 128, 1, 1, 1),
    "stem_3to64_k7s2_224x224": (3, 64, 7, 224, 224, 3, 2, 1),
    "dw32_k3_112x112": (32, 32, 3, 112, 112, 1, 1, 32),
    "128to128_k3s2_56x56": (128, 128, 3, 56, 56, 1, 2, 1),
}


def median_time(fn, runs, min_seconds=0.0):
    fn()  # warm-up
    times = []
    start = time.perf_counter()
    while len(times) < runs or time.perf_counter() - start < min_seconds:
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
        if len(times) >= 10 * runs:
            break
    return statistics.median(times)


def bench_torch(threads, quick):
    try:
        import torch
        import torch.nn.functional as F
    except ImportError as e:
        print(f"bench_peers: PyTorch missing ({e}); its rows stay empty", file=sys.stderr)
        return {}, None
    torch.set_num_threads(threads)
    out = {}
    g = torch.Generator().manual_seed(1)
    for name, (c, o, k, h, w, pad, stride, groups) in LAYERS.items():
        x = torch.rand(1, c, h, w, generator=g) * 2 - 1
        wt = (torch.rand(o, c // groups, k, k, generator=g) * 2 - 1) * 0.2
        b = (torch.rand(o, generator=g) * 2 - 1) * 0.1
        with torch.no_grad():
            out[name] = median_time(lambda: F.conv2d(x, wt, b, stride=stride, padding=pad, groups=groups),
                                    5 if quick else 15, 0.3 if quick else 1.0)
        print(f"bench_peers: torch {name}: {out[name] * 1e3:.3f} ms", file=sys.stderr)
    return out, torch.__version__


def bench_filter(convscope, quick):
    try:
        import cv2
        import numpy as np
    except ImportError as e:
        print(f"bench_peers: OpenCV for Python missing ({e}); the filter row stays empty", file=sys.stderr)
        return {}
    res = {}
    with tempfile.TemporaryDirectory() as d:
        # A 12 MP photo-like JPEG: smooth colour gradients with texture and noise (compresses like a photo).
        h, w = 3000, 4000
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        rng = np.random.default_rng(7)
        img = np.stack([128 + 100 * np.sin(xx / 300.0 + c) * np.cos(yy / 200.0 - c) for c in range(3)], axis=2)
        img += rng.normal(0, 12, img.shape)
        src = os.path.join(d, "photo.jpg")
        cv2.imwrite(src, np.clip(img, 0, 255).astype(np.uint8), [cv2.IMWRITE_JPEG_QUALITY, 90])
        runs = 3 if quick else 5
        ours = os.path.join(d, "ours.png")
        if convscope and os.access(convscope, os.X_OK):
            res["convscope"] = median_time(
                lambda: subprocess.run([convscope, "filter", src, ours, "--kernel", "box5"], check=True), runs)
            print(f"bench_peers: convscope filter box5: {res['convscope']:.3f} s", file=sys.stderr)
        else:
            print(f"bench_peers: no convscope binary at {convscope!r}; the filter row stays empty", file=sys.stderr)
        theirs = os.path.join(d, "opencv.png")
        kernel = np.full((5, 5), 1.0 / 25.0, np.float32)

        def opencv():
            im = cv2.imread(src, cv2.IMREAD_COLOR)
            out = cv2.filter2D(im, -1, kernel, borderType=cv2.BORDER_CONSTANT)
            cv2.imwrite(theirs, out)

        res["opencv"] = median_time(opencv, runs)
        print(f"bench_peers: OpenCV imread + filter2D + imwrite: {res['opencv']:.3f} s", file=sys.stderr)
        res["opencv_version"] = cv2.__version__
    return res


def main(argv):
    out_path, convscope = argv[0], argv[1]
    quick = "--quick" in argv[2:]
    threads = os.cpu_count() or 1
    torch_times, torch_version = bench_torch(threads, quick)
    result = {"torch": torch_times, "torch_version": torch_version, "threads": threads,
              "filter": bench_filter(convscope, quick)}
    with open(out_path, "w") as f:
        json.dump(result, f, indent=1)


if __name__ == "__main__":
    main(sys.argv[1:])
