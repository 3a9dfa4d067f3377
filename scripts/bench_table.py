#!/usr/bin/env python3
"""Turns the benchmark's JSON (scripts/bench.sh) into ratios: simd against cv::filter2D and the reference, and
GFLOP/s against the measured FMA peak. Each benchmark counts with its fastest repetition (over every JSON file
given: `bench_table.py run1.json run2.json`).

Single-thread comparisons use CPU time, which a busy machine disturbs far less than wall time (another process
taking the core stops the clock); comparisons that involve every thread must use wall time. Standard library
only."""
import json
import math
import sys


def main(paths):
    runs = []
    for path in paths:
        with open(path) as f:
            runs.append(json.load(f))
    data = runs[0]
    real, cpu, work = {}, {}, {}  # name -> fastest wall s, fastest CPU s, FLOP per iteration
    for b in (b for run in runs for b in run["benchmarks"]):
        if b.get("run_type") == "aggregate":
            continue
        name = b["run_name"].replace("/real_time", "").replace("/process_time", "").replace("/iterations:1", "")
        scale = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}[b["time_unit"]]
        r, c = b["real_time"] * scale, b["cpu_time"] * scale
        real[name] = min(real.get(name, math.inf), r)
        cpu[name] = min(cpu.get(name, math.inf), c)
        work[name] = b.get("FLOPS", 0.0) * r  # the counter is a rate over wall time
    nan = float("nan")

    def gflops(name, by_cpu):
        t = (cpu if by_cpu else real).get(name, nan)
        return work.get(name, nan) / t / 1e9

    def ratio(slow, fast, by_cpu):
        d = cpu if by_cpu else real
        return d.get(slow, nan) / d.get(fast, nan)

    ctx = data.get("context", {})
    print(f"simd isa: {ctx.get('simd_isa', '?')}, {ctx.get('num_cpus', '?')} CPUs, OpenCV {ctx.get('opencv', '?')},"
          f" load average {ctx.get('load_avg', '?')}")
    peak1 = max((gflops(k, True) for k in work if k.startswith("fma_peak") and k.endswith("threads:1")),
                default=nan)
    peak_all = max((gflops(k, False) for k in work if k.startswith("fma_peak") and not k.endswith("threads:1")),
                   default=nan)
    print(f"measured FMA peak: {peak1:.1f} GFLOP/s on one thread (CPU time), {peak_all:.1f} on all threads (wall)")
    print()

    def pct(g, peak):
        return f"{100 * g / peak:5.1f}%"

    # Sizes the simd backend was measured on (the gpu benchmark adds sizes of its own).
    sizes = list(dict.fromkeys(k.split("/")[2] for k in work if k.startswith("image/simd_1t/")))
    if sizes:
        print("image filters, zero padding, 'same' output; speed ratios, >1 means simd is faster")
        print("  all/all: simd on every thread vs cv::filter2D with OpenCV's threads (wall time)")
        print("  1t/1t, 1t/ref: one thread each (CPU time); GFLOP/s 1t: CPU time; GFLOP/s all: wall time")
        print("  cpu all/1t: CPU time of every thread over that of one thread (1.00: threading costs nothing)")
        print(f"{'image':>10} {'k':>3} | {'vs OpenCV all/all':>17} {'1t/1t':>6} | {'vs ref 1t':>9} |"
              f" {'GFLOP/s 1t':>10} {'of peak':>7} | {'GFLOP/s all':>11} {'of peak':>7} | {'cpu all/1t':>10}")
        for size in sizes:
            for k in (3, 5, 7, 11):
                sfx = f"/{size}/k{k}"
                s1 = gflops("image/simd_1t" + sfx, True)
                sa = gflops("image/simd" + sfx, False)
                print(f"{size:>10} {k:>3} | {ratio('image/opencv' + sfx, 'image/simd' + sfx, False):>16.2f}x"
                      f" {ratio('image/opencv_1t' + sfx, 'image/simd_1t' + sfx, True):>5.2f}x |"
                      f" {ratio('image/reference' + sfx, 'image/simd_1t' + sfx, True):>8.1f}x |"
                      f" {s1:>10.1f} {pct(s1, peak1)} | {sa:>11.1f} {pct(sa, peak_all)} |"
                      f" {ratio('image/simd' + sfx, 'image/simd_1t' + sfx, True):>10.2f}")
        print()
    layers = list(dict.fromkeys(k.split("/")[2] for k in work if k.startswith("layer/")))
    if layers:
        print("CNN layers")
        print(f"{'layer':>18} | {'GFLOP/s 1t':>10} {'of peak':>7} | {'GFLOP/s all':>11} {'of peak':>7} |"
              f" {'vs ref 1t':>9} | {'cpu all/1t':>10}")
        for l in layers:
            s1, sa = gflops("layer/simd_1t/" + l, True), gflops("layer/simd/" + l, False)
            print(f"{l:>18} | {s1:>10.1f} {pct(s1, peak1)} | {sa:>11.1f} {pct(sa, peak_all)} |"
                  f" {ratio('layer/reference/' + l, 'layer/simd_1t/' + l, True):>8.1f}x |"
                  f" {ratio('layer/simd/' + l, 'layer/simd_1t/' + l, True):>10.2f}")


if __name__ == "__main__":
    main(sys.argv[1:] or ["build-bench/bench.json"])
