#!/usr/bin/python3
"""Side-by-side Conv2d timing: Nabla vs PyTorch, measured in the same run.

Shape: input (B, C, H, W) = (64, 32, 14, 14), weight (64, 32, 3, 3), bias, padding 1, float32. Two timings each:
  forward           the convolution alone, recording no graph (torch.no_grad(); Nabla inputs without RequiresGrad)
  forward+backward  the convolution and its backward for a fixed output gradient, with the input, weight and bias
                    gradients (gradients reset to None before each step, in both)
Each is timed the same way on both sides: warm-up, then the best over S samples of the mean time per call. Rounds
alternate the two libraries and the best of each is kept, because the machine may be shared; compare the ratios of
one run. PyTorch runs in a subprocess with OMP_NUM_THREADS and torch.set_num_threads set to the thread count; Nabla
runs the bench program's timing mode:
  dotnet bench/Nabla.Bench/bin/Release/net10.0/Nabla.Bench.dll conv-json --threads 1

Usage (from the repository root):  /usr/bin/python3 bench/compare/conv.py [--rounds 3] [--threads 1,2]
"""
import argparse
import json
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BENCH_PROJECT = os.path.join(ROOT, "bench", "Nabla.Bench")
BENCH_DLL = os.path.join(BENCH_PROJECT, "bin", "Release", "net10.0", "Nabla.Bench.dll")
DEFAULT_SHAPE = "64,32,14,14,64,3,1"  # B, C, H, W, O, kernel, padding


def time_calls(call, samples, sample_seconds):
    """Best over samples of the mean seconds per call, after a warm-up (the scheme of conv-json)."""
    start, calls = time.perf_counter(), 0
    while time.perf_counter() - start < 0.3 or calls < 3:
        call()
        calls += 1
    per_sample = max(1, int(sample_seconds / ((time.perf_counter() - start) / calls)))
    best = float("inf")
    for _ in range(samples):
        t0 = time.perf_counter()
        for _ in range(per_sample):
            call()
        best = min(best, (time.perf_counter() - t0) / per_sample)
    return best


def worker(threads, shape, samples, sample_seconds):
    """Runs inside a subprocess whose thread variables were set before PyTorch loaded."""
    import torch
    import torch.nn.functional as F
    torch.set_num_threads(threads)
    b, c, h, w, o, k, p = shape
    g = torch.Generator().manual_seed(42)
    x = torch.randn(b, c, h, w, generator=g)
    weight = torch.randn(o, c, k, k, generator=g) * 0.1
    bias = torch.randn(o, generator=g)
    with torch.no_grad():
        dy = torch.randn(F.conv2d(x, weight, bias, padding=p).shape, generator=g)

    def forward():
        with torch.no_grad():
            F.conv2d(x, weight, bias, padding=p)

    xg, wg, bg = (t.clone().requires_grad_() for t in (x, weight, bias))

    def forward_backward():
        xg.grad = wg.grad = bg.grad = None
        F.conv2d(xg, wg, bg, padding=p).backward(dy)

    print(json.dumps({
        "library": "PyTorch", "version": torch.__version__, "threads": threads,
        "mkldnn": torch.backends.mkldnn.is_available() and torch.backends.mkldnn.enabled,
        "forward_seconds": time_calls(forward, samples, sample_seconds),
        "forward_backward_seconds": time_calls(forward_backward, samples, sample_seconds),
    }))


def run_torch(threads, args):
    env = dict(os.environ)
    for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        env[var] = str(threads)
    cmd = [sys.executable, os.path.abspath(__file__), "--worker", "--threads", str(threads), "--shape", args.shape,
           "--samples", str(args.samples), "--sample-seconds", str(args.sample_seconds)]
    return json.loads(subprocess.run(cmd, env=env, check=True, capture_output=True, text=True).stdout)


def run_nabla(threads, args):
    cmd = ["dotnet", BENCH_DLL, "conv-json", "--threads", str(threads), "--shape", args.shape,
           "--samples", str(args.samples), "--sample-seconds", str(args.sample_seconds)]
    return json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--threads", default="1,2", help="thread counts to measure, e.g. 1,2")
    p.add_argument("--shape", default=DEFAULT_SHAPE, help="B,C,H,W,O,K,P (square kernel K, padding P, stride 1)")
    p.add_argument("--rounds", type=int, default=3, help="alternating rounds; the best of each library is kept")
    p.add_argument("--samples", type=int, default=10)
    p.add_argument("--sample-seconds", type=float, default=0.2)
    p.add_argument("--no-build", action="store_true", help="use the already built bench program")
    p.add_argument("--json", help="also write all results to this file")
    p.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args()
    shape = [int(v) for v in args.shape.split(",")]

    if args.worker:
        worker(int(args.threads), shape, args.samples, args.sample_seconds)
        return

    if not args.no_build:
        subprocess.run(["dotnet", "build", "-c", "Release", "--nologo", "-v", "q", BENCH_PROJECT],
                       check=True, stdout=subprocess.DEVNULL)
    thread_counts = [int(t) for t in args.threads.split(",")]
    best = {}  # (library, threads) -> {"forward_seconds", "forward_backward_seconds"}, each the best seen
    info = {}
    for r in range(args.rounds):
        for t in thread_counts:
            for name, run in (("nabla", run_nabla), ("torch", run_torch)):
                report = run(t, args)
                info[name] = report
                kept = best.setdefault((name, t), dict(report))
                for key in ("forward_seconds", "forward_backward_seconds"):
                    kept[key] = min(kept[key], report[key])
            print(f"round {r + 1}/{args.rounds}, {t} thread(s) done", file=sys.stderr)

    b, c, h, w, o, k, pad = shape
    out = (h + 2 * pad - k + 1) * (w + 2 * pad - k + 1)
    flops = 2.0 * b * o * out * c * k * k  # one convolution; forward+backward does three
    print(f"Conv2d input ({b}, {c}, {h}, {w}), weight ({o}, {c}, {k}, {k}), padding {pad}, float32")
    print(f"Nabla GEMM path: {info['nabla']['gemm_path']}   PyTorch {info['torch']['version']} (oneDNN: {info['torch']['mkldnn']})")
    print(f"Best of {args.rounds} alternating rounds x {args.samples} samples; ms per call; GFLOP/s = 2 B O OH OW C K K per convolution.")
    print(f"ratio = Nabla time / PyTorch time (below 1: Nabla faster).")
    print()
    header = ("pass", "thr", "Nabla ms", "PyTorch ms", "ratio", "Nabla GFLOP/s", "PyTorch GFLOP/s")
    rows = []
    for key, label, passes in (("forward_seconds", "forward", 1), ("forward_backward_seconds", "forward+backward", 3)):
        for t in thread_counts:
            nb, tor = best[("nabla", t)][key], best[("torch", t)][key]
            rows.append((label, str(t), f"{nb * 1e3:.2f}", f"{tor * 1e3:.2f}", f"{nb / tor:.2f}",
                         f"{passes * flops / nb / 1e9:.1f}", f"{passes * flops / tor / 1e9:.1f}"))
    widths = [max(len(hd), *(len(row[i]) for row in rows)) for i, hd in enumerate(header)]
    line = lambda cells: "  ".join(cell.rjust(wd) if i else cell.ljust(wd) for i, (cell, wd) in enumerate(zip(cells, widths)))
    print(line(header))
    print(line(["-" * wd for wd in widths]))
    for row in rows:
        print(line(row))
    if args.json:
        with open(args.json, "w") as f:
            json.dump([{"library": lib, "threads": t, **res} for (lib, t), res in best.items()], f, indent=1)


if __name__ == "__main__":
    main()
