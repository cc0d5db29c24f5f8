#!/usr/bin/python3
"""Side-by-side SGEMM throughput: Nabla vs NumPy vs PyTorch, measured in the same run.

Every library is timed the same way: C = A @ B into a preallocated C (row-major, float32),
warm-up, then the best over S samples of the mean time per call within a sample. Rounds
alternate the libraries and the best of each is kept, because the machine may be shared.

Usage (from the repository root):  /usr/bin/python3 bench/compare/sgemm.py [--rounds 3]
See bench/compare/README.md.
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
DEFAULT_SHAPES = "128x128x128,256x256x256,512x512x512,1024x1024x1024,2048x2048x2048,64x100x1000,64x10x100"
# Debian's OpenBLAS (package libopenblas0-pthread); NumPy and PyTorch load libblas.so.3 from here if asked.
OPENBLAS_DIR = "/usr/lib/x86_64-linux-gnu/openblas-pthread"


def parse_shapes(text):
    """'MxNxK,...' -> [(m, n, k)]: C is m x n, the shared dimension is k."""
    return [tuple(int(v) for v in s.split("x")) for s in text.split(",") if s]


def time_calls(call, samples, sample_seconds):
    """Best over samples of the mean seconds per call, after a warm-up (same scheme as sgemm-json)."""
    start, calls = time.perf_counter(), 0
    while time.perf_counter() - start < 0.2 or calls < 3:
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


def loaded_blas():
    """The BLAS shared library this process actually mapped, and OpenBLAS's core name if it is OpenBLAS."""
    with open("/proc/self/maps") as f:
        paths = sorted({line.split()[-1] for line in f if "blas" in line.split()[-1].lower()})
    name = paths[0] if paths else "unknown"
    for path in paths:
        if "openblas" in path.lower():
            try:
                import ctypes
                lib = ctypes.CDLL(path)
                lib.openblas_get_corename.restype = ctypes.c_char_p
                lib.openblas_get_config.restype = ctypes.c_char_p
                return f"{path} ({lib.openblas_get_config().decode()}, core {lib.openblas_get_corename().decode()})"
            except (OSError, AttributeError):
                return path
    return name


def worker(library, threads, shapes, samples, sample_seconds):
    """Runs inside a subprocess whose thread variables were set before NumPy/PyTorch loaded."""
    import numpy as np
    results = []
    if library == "torch":
        import torch
        torch.set_num_threads(threads)
    for m, n, k in shapes:
        rng = np.random.default_rng(42)
        a = rng.uniform(-1, 1, (m, k)).astype(np.float32)
        b = rng.uniform(-1, 1, (k, n)).astype(np.float32)
        c = np.zeros((m, n), np.float32)
        if library == "numpy":
            call = lambda: np.matmul(a, b, out=c)
        else:
            ta, tb, tc = torch.from_numpy(a), torch.from_numpy(b), torch.from_numpy(c)
            call = lambda: torch.mm(ta, tb, out=tc)
        seconds = time_calls(call, samples, sample_seconds)
        results.append({"m": m, "n": n, "k": k, "seconds": seconds, "gflops": 2.0 * m * n * k / seconds / 1e9})
    version = np.__version__ if library == "numpy" else __import__("torch").__version__
    print(json.dumps({"library": library, "version": version, "threads": threads,
                      "blas": loaded_blas(), "results": results}))


def run_python(library, threads, args):
    env = dict(os.environ)
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        env[var] = str(threads)
    if args.blas_dir:
        env["LD_LIBRARY_PATH"] = args.blas_dir + os.pathsep + env.get("LD_LIBRARY_PATH", "")
    cmd = [sys.executable, os.path.abspath(__file__), "--worker", library, "--threads", str(threads),
           "--shapes", args.shapes, "--samples", str(args.samples), "--sample-seconds", str(args.sample_seconds)]
    return json.loads(subprocess.run(cmd, env=env, check=True, capture_output=True, text=True).stdout)


def run_nabla(threads, args):
    cmd = ["dotnet", BENCH_DLL, "sgemm-json", "--threads", str(threads), "--shapes", args.shapes,
           "--samples", str(args.samples), "--sample-seconds", str(args.sample_seconds)]
    return json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--threads", default="1,2", help="thread counts to measure, e.g. 1,2")
    p.add_argument("--shapes", default=DEFAULT_SHAPES, help="MxNxK,... (C is MxN, A is MxK, B is KxN)")
    p.add_argument("--rounds", type=int, default=3, help="alternating rounds; the best of each library is kept")
    p.add_argument("--samples", type=int, default=15)
    p.add_argument("--sample-seconds", type=float, default=0.03)
    p.add_argument("--blas-dir", default=OPENBLAS_DIR if os.path.isdir(OPENBLAS_DIR) else "",
                   help="directory with the libblas.so.3 NumPy and PyTorch should load (default: Debian's OpenBLAS if installed)")
    p.add_argument("--no-build", action="store_true", help="use the already built bench program")
    p.add_argument("--json", help="also write all results to this file")
    p.add_argument("--worker", help=argparse.SUPPRESS)
    args = p.parse_args()

    if args.worker:
        worker(args.worker, int(args.threads), parse_shapes(args.shapes), args.samples, args.sample_seconds)
        return

    if not args.no_build:
        subprocess.run(["dotnet", "build", "-c", "Release", "--nologo", "-v", "q", BENCH_PROJECT],
                       check=True, stdout=subprocess.DEVNULL)
    thread_counts = [int(t) for t in args.threads.split(",")]
    best = {}  # (library, threads, shape) -> result with the lowest seconds
    info = {}
    for r in range(args.rounds):
        for t in thread_counts:
            for name, run in (("nabla", lambda t=t: run_nabla(t, args)),
                              ("numpy", lambda t=t: run_python("numpy", t, args)),
                              ("torch", lambda t=t: run_python("torch", t, args))):
                report = run()
                info[name] = report
                for res in report["results"]:
                    key = (name, t, (res["m"], res["n"], res["k"]))
                    if key not in best or res["seconds"] < best[key]["seconds"]:
                        best[key] = res
            print(f"round {r + 1}/{args.rounds}, {t} thread(s) done", file=sys.stderr)

    print(f"Nabla path: {info['nabla']['path']}   NumPy {info['numpy']['version']}   PyTorch {info['torch']['version']}")
    print(f"NumPy BLAS:   {info['numpy']['blas']}")
    print(f"PyTorch BLAS: {info['torch']['blas']}")
    print(f"Best of {args.rounds} alternating rounds x {args.samples} samples; GFLOP/s = 2 m n k / time; us = microseconds per call.")
    print()
    header = ("shape (m x n x k)", "thr", "Nabla", "NumPy", "PyTorch", "N/NumPy", "N/Torch", "Nabla us", "NumPy us", "Torch us")
    rows = []
    for shape in parse_shapes(args.shapes):
        for t in thread_counts:
            nb, npy, tor = (best[(lib, t, shape)] for lib in ("nabla", "numpy", "torch"))
            rows.append(("x".join(map(str, shape)), str(t),
                         f"{nb['gflops']:.1f}", f"{npy['gflops']:.1f}", f"{tor['gflops']:.1f}",
                         f"{nb['gflops'] / npy['gflops']:.2f}", f"{nb['gflops'] / tor['gflops']:.2f}",
                         f"{nb['seconds'] * 1e6:.1f}", f"{npy['seconds'] * 1e6:.1f}", f"{tor['seconds'] * 1e6:.1f}"))
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]
    line = lambda cells: "  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(cells, widths)))
    print(line(header))
    print(line(["-" * w for w in widths]))
    for row in rows:
        print(line(row))
    if args.json:
        with open(args.json, "w") as f:
            json.dump([{"library": lib, "threads": t, **res} for (lib, t, _), res in best.items()], f, indent=1)


if __name__ == "__main__":
    main()
