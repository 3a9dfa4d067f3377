#!/usr/bin/env python3
"""Turns the benchmark's JSON (scripts/bench.sh) into ratios. First ONE table of every case of issue 17:
ConvScope against cv::filter2D (1-channel images, 3-channel photos as each library holds them), against PyTorch
(CNN layers, same thread count; from bench_peers.py's JSON, `--peers FILE`), the copy bound of the memory-bound
cases, and `convscope filter` end to end against OpenCV's imread + filter2D + imwrite; medians of the
repetitions. Then the details: single-thread ratios, GFLOP/s against the measured FMA peak, each benchmark
with its fastest repetition (over every JSON file given: `bench_table.py run1.json run2.json`).

Single-thread comparisons use CPU time, which a busy machine disturbs far less than wall time (another process
taking the core stops the clock); comparisons that involve every thread must use wall time. Standard library
only."""
import json
import math
import os
import statistics
import sys


def summary(runs, peers):
    """The one table: median wall time of each benchmark's repetitions, ratios > 1 where ConvScope is faster."""
    reps = {}
    for b in (b for run in runs for b in run["benchmarks"]):
        if b.get("run_type") == "aggregate":
            continue
        name = b["run_name"].replace("/real_time", "").replace("/process_time", "").replace("/iterations:1", "")
        scale = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}[b["time_unit"]]
        reps.setdefault(name, []).append(b["real_time"] * scale)
    med = {k: statistics.median(v) for k, v in reps.items()}
    torch = (peers or {}).get("torch", {}) or {}
    filt = (peers or {}).get("filter", {}) or {}
    rows = []  # case, ours s, peer name, peer s, goal text, goal met?, copy bound s

    def ms(t):
        if t is None or t != t:
            return "—"
        return f"{t * 1e3:.3f} ms" if t < 1.0 else f"{t:.2f} s"

    for size in dict.fromkeys(k.split("/")[2] for k in med if k.startswith("image/simd/")):
        for k in (3, 5, 7, 11, 15):
            sfx = f"/{size}/k{k}"
            if "image/simd" + sfx not in med:
                continue
            copy = med.get(f"copy/{size}x1") if k == 3 else None
            rows.append((f"1-channel {size}, k{k}", med["image/simd" + sfx], "filter2D",
                         med.get("image/opencv" + sfx), 2.0, copy))
    for size in dict.fromkeys(k.split("/")[2] for k in med if k.startswith("colour/simd/")):
        for k in (3, 7, 15):
            sfx = f"/{size}/k{k}"
            if "colour/simd" + sfx not in med:
                continue
            copy = med.get(f"copy/{size}x3") if k == 3 else None
            rows.append((f"3-channel {size} (groups=3), k{k}", med["colour/simd" + sfx], "filter2D HWC",
                         med.get("colour/opencv" + sfx), 2.0, copy))
    for l in dict.fromkeys(k.split("/")[2] for k in med if k.startswith("layer/simd/")):
        rows.append((f"layer {l}", med["layer/simd/" + l], "PyTorch", torch.get(l), 1.2, None))
    if filt:
        rows.append(("convscope filter 12 MP JPEG→PNG box5", filt.get("convscope"), "imread+filter2D+imwrite",
                     filt.get("opencv"), 1 / 1.2, None))
    print("ONE table: ConvScope vs its peer in this run (median wall time; ratio = peer / ConvScope, > 1 means "
          "ConvScope is faster;")
    print(f"  copy bound = memcpy of the image's floats, for the memory-bound k3 rows; PyTorch on "
          f"{(peers or {}).get('threads', '?')} threads, {(peers or {}).get('torch_version', 'missing')})")
    head = (f"| {'case':<44} | {'ConvScope':>11} | {'peer':<23} | {'peer time':>11} | {'ratio':>8} |"
            f" {'goal':>10} | {'copy bound':>11} | {'ours/copy':>9} |")
    print(head)
    print("|" + "|".join("-" * (len(c)) for c in head.split("|")[1:-1]) + "|")
    for case, ours, peer, theirs, goal, copy in rows:
        nan = float("nan")
        r = (theirs / ours) if (theirs and ours) else nan
        met = "" if r != r else ("met" if r >= goal - 1e-9 else "NOT")
        goal_text = f"≥{goal:.2g}×" if goal >= 1 else f"≥{goal:.2f}×"
        cb = f"{(ours / copy):.2f}×" if (copy and ours) else ""
        print(f"| {case:<44} | {ms(ours):>11} | {peer:<23} | {ms(theirs):>11} | {r:>7.2f}× |"
              f" {goal_text + ' ' + met:>10} | {ms(copy) if copy else '':>11} | {cb:>9} |")
    print()


def main(argv):
    peers = None
    paths = []
    it = iter(argv)
    for a in it:
        if a == "--peers":
            p = next(it, None)
            if p and os.path.exists(p):
                with open(p) as f:
                    peers = json.load(f)
        else:
            paths.append(a)
    paths = paths or ["build-bench/bench.json"]
    runs = []
    for path in paths:
        with open(path) as f:
            runs.append(json.load(f))
    summary(runs, peers)
    print("details")
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
            for k in (3, 5, 7, 11, 15):
                sfx = f"/{size}/k{k}"
                if "image/simd_1t" + sfx not in work:
                    continue
                s1 = gflops("image/simd_1t" + sfx, True)
                sa = gflops("image/simd" + sfx, False)
                print(f"{size:>10} {k:>3} | {ratio('image/opencv' + sfx, 'image/simd' + sfx, False):>16.2f}x"
                      f" {ratio('image/opencv_1t' + sfx, 'image/simd_1t' + sfx, True):>5.2f}x |"
                      f" {ratio('image/reference' + sfx, 'image/simd_1t' + sfx, True):>8.1f}x |"
                      f" {s1:>10.1f} {pct(s1, peak1)} | {sa:>11.1f} {pct(sa, peak_all)} |"
                      f" {ratio('image/simd' + sfx, 'image/simd_1t' + sfx, True):>10.2f}")
        print()
    layers = list(dict.fromkeys(k.split("/")[2] for k in work if k.startswith("layer/simd_1t/")))
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
    main(sys.argv[1:])
