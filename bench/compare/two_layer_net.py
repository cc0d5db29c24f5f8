"""The seed two-layer network side by side: Nabla, NumPy and PyTorch, in one run.

N=64, D_in=1000, H=100, D_out=10, ReLU, sum-of-squares cost, 500 steps of gradient descent with
learning rate 1e-6, float32. Timed for each library the same way (a warm-up run, then the best of
--repeats runs of all steps), on 1 and 2 threads:

- Nabla: hand-derived gradients and autograd (bench program mode `two-layer-net-json`),
- NumPy: the course notes' hand-derived version (with the ReLU mask fixed),
- PyTorch: autograd (and the hand-derived version on tensors, for reference).

Run from the repository root: /usr/bin/python3 bench/compare/two_layer_net.py
"""
import argparse
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from runner import best_of  # noqa: E402
from sgemm import BENCH_DLL, BENCH_PROJECT, OPENBLAS_DIR, loaded_blas  # noqa: E402

N, D_IN, H, D_OUT, LR = 64, 1000, 100, 10, 1e-6


def numpy_by_hand(steps):
    import numpy as np
    rng = np.random.default_rng(0)
    x = rng.standard_normal((N, D_IN), dtype=np.float32)
    y = rng.standard_normal((N, D_OUT), dtype=np.float32)
    w1_0 = rng.standard_normal((D_IN, H), dtype=np.float32)
    w2_0 = rng.standard_normal((H, D_OUT), dtype=np.float32)

    def run():
        w1, w2 = w1_0.copy(), w2_0.copy()
        for _ in range(steps):
            h = x.dot(w1)
            h_relu = np.maximum(h, 0)
            y_pred = h_relu.dot(w2)
            loss = np.square(y_pred - y).sum()
            grad_y_pred = 2.0 * (y_pred - y)
            grad_w2 = h_relu.T.dot(grad_y_pred)
            grad_h_relu = grad_y_pred.dot(w2.T)
            grad_h = grad_h_relu.copy()
            grad_h[h < 0] = 0
            grad_w1 = x.T.dot(grad_h)
            w1 -= LR * grad_w1
            w2 -= LR * grad_w2
        return loss
    return run


def torch_versions(steps):
    import torch
    g = torch.Generator().manual_seed(0)
    x = torch.randn(N, D_IN, generator=g)
    y = torch.randn(N, D_OUT, generator=g)
    w1_0 = torch.randn(D_IN, H, generator=g)
    w2_0 = torch.randn(H, D_OUT, generator=g)

    def autograd():
        w1 = w1_0.clone().requires_grad_()
        w2 = w2_0.clone().requires_grad_()
        for _ in range(steps):
            y_pred = x.mm(w1).clamp(min=0).mm(w2)
            loss = (y_pred - y).pow(2).sum()
            loss.item()
            loss.backward()
            with torch.no_grad():
                w1 -= LR * w1.grad
                w2 -= LR * w2.grad
                w1.grad.zero_()
                w2.grad.zero_()

    def by_hand():
        w1, w2 = w1_0.clone(), w2_0.clone()
        for _ in range(steps):
            h = x.mm(w1)
            h_relu = h.clamp(min=0)
            y_pred = h_relu.mm(w2)
            (y_pred - y).pow(2).sum().item()
            grad_y_pred = 2.0 * (y_pred - y)
            grad_w2 = h_relu.t().mm(grad_y_pred)
            grad_h = grad_y_pred.mm(w2.t())
            grad_h[h < 0] = 0
            grad_w1 = x.t().mm(grad_h)
            w1 -= LR * grad_w1
            w2 -= LR * grad_w2
    return autograd, by_hand


def worker(library, threads, steps, repeats):
    result = {"library": library, "threads": threads}
    if library == "numpy":
        import numpy as np
        result["version"] = np.__version__
        result["by_hand_seconds"] = best_of(numpy_by_hand(steps), repeats)
    else:
        import torch
        torch.set_num_threads(threads)
        result["version"] = torch.__version__
        autograd, by_hand = torch_versions(steps)
        result["autograd_seconds"] = best_of(autograd, repeats)
        result["by_hand_seconds"] = best_of(by_hand, repeats)
    result["blas"] = loaded_blas()
    print(json.dumps(result))


def run_python(library, threads, args):
    env = dict(os.environ)
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        env[var] = str(threads)
    if args.blas_dir:
        env["LD_LIBRARY_PATH"] = args.blas_dir + os.pathsep + env.get("LD_LIBRARY_PATH", "")
    cmd = [sys.executable, os.path.abspath(__file__), "--worker", library, "--threads", str(threads),
           "--steps", str(args.steps), "--repeats", str(args.repeats)]
    return json.loads(subprocess.run(cmd, env=env, check=True, capture_output=True, text=True).stdout)


def run_nabla(threads, args):
    cmd = ["dotnet", BENCH_DLL, "two-layer-net-json", "--threads", str(threads),
           "--steps", str(args.steps), "--repeats", str(args.repeats)]
    return json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--threads", default="1,2")
    p.add_argument("--steps", type=int, default=500)
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--blas-dir", default=OPENBLAS_DIR if os.path.isdir(OPENBLAS_DIR) else "")
    p.add_argument("--no-build", action="store_true")
    p.add_argument("--worker", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.worker:
        worker(args.worker, int(args.threads), args.steps, args.repeats)
        return
    if not args.no_build:
        subprocess.run(["dotnet", "build", "-c", "Release", "--nologo", "-v", "q", BENCH_PROJECT],
                       check=True, stdout=subprocess.DEVNULL)
    print(f"two-layer net, {args.steps} steps (best of {args.repeats}); times in seconds")
    print(f"{'threads':>7}  {'Nabla hand':>10}  {'Nabla auto':>10}  {'NumPy hand':>10}  {'Torch auto':>10}  {'Torch hand':>10}"
          f"  {'NumPy/Nabla':>11}  {'Torch/Nabla':>11}")
    for t in [int(v) for v in args.threads.split(",")]:
        nabla = run_nabla(t, args)
        np_r = run_python("numpy", t, args)
        th = run_python("torch", t, args)
        print(f"{t:>7}  {nabla['by_hand_seconds']:>10.4f}  {nabla['autograd_seconds']:>10.4f}  {np_r['by_hand_seconds']:>10.4f}"
              f"  {th['autograd_seconds']:>10.4f}  {th['by_hand_seconds']:>10.4f}"
              f"  {np_r['by_hand_seconds'] / nabla['by_hand_seconds']:>10.2f}x"
              f"  {th['autograd_seconds'] / nabla['autograd_seconds']:>10.2f}x")
    print(f"NumPy BLAS: {np_r['blas']}\nPyTorch BLAS: {th['blas']}")


if __name__ == "__main__":
    main()
