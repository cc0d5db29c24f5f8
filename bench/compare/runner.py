"""What the side-by-side scripts share: best-of timing, the environment a PyTorch worker runs in, running a worker
(this Python in a child process) or a Nabla bench mode and reading the JSON it prints, and building the bench program.

Each library runs in its own process so that thread settings cannot leak from one to the other: PyTorch's OpenMP and
BLAS threads are fixed by environment variables before it loads, and OpenBLAS is found through LD_LIBRARY_PATH.
"""
import json
import os
import subprocess
import sys
import time

from sgemm import BENCH_DLL, BENCH_PROJECT


def best_of(run, repeats):
    """Seconds of the fastest of `repeats` calls of `run`, after one warm-up call."""
    run()
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - t0)
    return best


def torch_env(threads, blas_dir):
    """The environment for a PyTorch worker: every thread pool set to `threads`, OpenBLAS from `blas_dir` if given."""
    env = dict(os.environ)
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        env[var] = str(threads)
    if blas_dir:
        env["LD_LIBRARY_PATH"] = blas_dir + os.pathsep + env.get("LD_LIBRARY_PATH", "")
    return env


def _json_of(cmd, env=None):
    return json.loads(subprocess.run(cmd, env=env, check=True, capture_output=True, text=True).stdout)


def run_worker(script, threads, blas_dir, worker_args):
    """Runs `script --worker ARGS` under PyTorch's environment for `threads` and returns the JSON it prints."""
    return _json_of([sys.executable, os.path.abspath(script), "--worker", *map(str, worker_args)],
                    torch_env(threads, blas_dir))


def run_nabla(mode, args):
    """Runs the bench program's timing mode `mode` with `args` and returns the JSON it prints."""
    return _json_of(["dotnet", BENCH_DLL, mode, *map(str, args)])


def build_bench():
    """Builds the bench program in Release, quietly."""
    subprocess.run(["dotnet", "build", "-c", "Release", "--nologo", "-v", "q", BENCH_PROJECT],
                   check=True, stdout=subprocess.DEVNULL)
