#!/usr/bin/env python3
"""Turns the benchmark's JSON (scripts/bench.sh) into ratios: simd against cv::filter2D and the reference,
and GFLOP/s against the measured FMA peak. Each benchmark counts with its fastest repetition. Standard library
only."""
import json
import sys


def main(path):
    with open(path) as f:
        data = json.load(f)
    best = {}  # name -> (seconds, FLOP/s)
    for b in data["benchmarks"]:
        if b.get("run_type") == "aggregate":
            continue
        name = b["run_name"].replace("/real_time", "").replace("/iterations:1", "")
        scale = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}[b["time_unit"]]
        t = b["real_time"] * scale
        flops = b.get("FLOPS", 0.0)
        if name not in best or t < best[name][0]:
            best[name] = (t, flops)
        elif name.startswith("fma_peak"):
            best[name] = (best[name][0], max(best[name][1], flops))

    ctx = data.get("context", {})
    threads = ctx.get("num_cpus", 0)
    print(f"simd isa: {ctx.get('simd_isa', '?')}, {threads} CPUs, OpenCV {ctx.get('opencv', '?')}")
    peaks = {k: v[1] for k, v in best.items() if k.startswith("fma_peak")}
    peak1 = max((v for k, v in peaks.items() if k.endswith("threads:1")), default=0.0)
    peak_all = max((v for k, v in peaks.items() if not k.endswith("threads:1")), default=peak1)
    print(f"measured FMA peak: {peak1 / 1e9:.1f} GFLOP/s on one thread, {peak_all / 1e9:.1f} on all")
    print()

    def get(name):
        return best.get(name, (float("nan"), float("nan")))

    def pct(flops, peak):
        return f"{100 * flops / peak:5.1f}%" if peak > 0 else "   ? "

    sizes = sorted({k.split("/")[2] for k in best if k.startswith("image/")}, key=lambda s: int(s.split("x")[0]))
    if sizes:
        print("image filters, zero padding, 'same' output (speed ratios: >1 means simd is faster)")
        print(f"{'image':>10} {'k':>3} | {'simd/OpenCV':>11} {'1t/1t':>6} | {'simd_1t/ref':>11} |"
              f" {'GFLOP/s 1t':>10} {'of peak':>7} | {'GFLOP/s all':>11} {'of peak':>7}")
        for size in sizes:
            for k in (3, 5, 7, 11):
                sfx = f"/{size}/k{k}"
                simd, simd1 = get("image/simd" + sfx), get("image/simd_1t" + sfx)
                cv, cv1, ref = get("image/opencv" + sfx), get("image/opencv_1t" + sfx), get("image/reference" + sfx)
                print(f"{size:>10} {k:>3} | {cv[0] / simd[0]:>10.2f}x {cv1[0] / simd1[0]:>5.2f}x |"
                      f" {ref[0] / simd1[0]:>10.1f}x | {simd1[1] / 1e9:>10.1f} {pct(simd1[1], peak1)} |"
                      f" {simd[1] / 1e9:>11.1f} {pct(simd[1], peak_all)}")
        print()
    layers = list(dict.fromkeys(k.split("/")[2] for k in best if k.startswith("layer/")))
    if layers:
        print("CNN layers")
        print(f"{'layer':>18} | {'GFLOP/s all':>11} {'of peak':>7} | {'GFLOP/s 1t':>10} {'of peak':>7} |"
              f" {'simd_1t/ref':>11}")
        for l in layers:
            simd, simd1, ref = get("layer/simd/" + l), get("layer/simd_1t/" + l), get("layer/reference/" + l)
            print(f"{l:>18} | {simd[1] / 1e9:>11.1f} {pct(simd[1], peak_all)} | {simd1[1] / 1e9:>10.1f}"
                  f" {pct(simd1[1], peak1)} | {ref[0] / simd1[0]:>10.1f}x")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "build-bench/bench.json")
