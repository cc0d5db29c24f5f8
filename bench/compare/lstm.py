"""LSTM training speed side by side: Nabla and PyTorch, in one run.

One LSTM layer (input 32, hidden 128, sequence length 50, batch 32, float32, sequence-first) on random data, timed
for each library the same way: a warm-up run, then the best of --repeats runs of --steps training steps, a step being
the forward pass over the whole sequence, an MSE loss against a fixed random target, the backward pass through time
and an SGD step (lr 0.01). Printed as steps per second on each thread count, and the ratio Nabla / PyTorch.

Nabla runs through the bench program's `lstm-json` mode. PyTorch runs its own CPU LSTM (one fused op per layer;
its GEMMs go to the BLAS it loads, see README.md, --blas-dir). Run from the repository root:
    /usr/bin/python3 bench/compare/lstm.py --rounds 3 --blas-dir DIR_WITH_OPENBLAS
"""
import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from runner import build_bench, run_worker, run_nabla as run_bench_mode  # noqa: E402
from sgemm import OPENBLAS_DIR, loaded_blas  # noqa: E402


def worker(args):
    import torch
    torch.set_num_threads(args.threads_one)
    torch.manual_seed(0)
    lstm = torch.nn.LSTM(args.input, args.hidden)
    optimizer = torch.optim.SGD(lstm.parameters(), lr=0.01)
    loss_fn = torch.nn.MSELoss()
    x = torch.randn(args.seq, args.batch, args.input)        # (T, B, I)
    target = torch.randn(args.seq, args.batch, args.hidden)  # (T, B, H)
    last = {}

    def train():
        for _ in range(args.steps):
            loss = loss_fn(lstm(x)[0], target)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        last["loss"] = loss.item()

    train()
    best = float("inf")
    for _ in range(args.repeats):
        t0 = time.perf_counter()
        train()
        best = min(best, time.perf_counter() - t0)
    print(json.dumps({"library": "PyTorch", "version": torch.__version__, "threads": args.threads_one,
                      "steps_per_second": args.steps / best, "final_loss": last["loss"], "blas": loaded_blas()}))


def sizes(args):
    return ["--steps", str(args.steps), "--repeats", str(args.repeats), "--input", str(args.input),
            "--hidden", str(args.hidden), "--seq", str(args.seq), "--batch", str(args.batch)]


def run_torch(threads, args):
    return run_worker(__file__, threads, args.blas_dir, ["--threads-one", threads] + sizes(args))


def run_nabla(threads, args):
    return run_bench_mode("lstm-json", ["--threads", threads] + sizes(args))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--threads", default=f"{os.cpu_count()},1", help="thread counts, comma-separated (default: all cores, then 1)")
    p.add_argument("--steps", type=int, default=20)
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--rounds", type=int, default=1, help="alternate the libraries this many times and keep each one's best")
    p.add_argument("--input", type=int, default=32)
    p.add_argument("--hidden", type=int, default=128)
    p.add_argument("--seq", type=int, default=50)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--blas-dir", default=OPENBLAS_DIR if os.path.isdir(OPENBLAS_DIR) else "")
    p.add_argument("--no-build", action="store_true")
    p.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--threads-one", type=int, default=1, help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.worker:
        worker(args)
        return
    if not args.no_build:
        build_bench()
    print(f"LSTM input {args.input}, hidden {args.hidden}, sequence {args.seq}, batch {args.batch}, float32: "
          f"forward + MSE + backward + SGD step (best of {args.repeats} x {args.steps} steps, {args.rounds} rounds)")
    print(f"{'threads':>7}  {'Nabla steps/s':>14}  {'PyTorch steps/s':>16}  {'Nabla/PyTorch':>13}")
    torch_r = None
    for t in [int(v) for v in args.threads.split(",")]:
        nabla, torch_r = None, None
        for _ in range(args.rounds):  # alternating, so that both libraries see the same machine
            n, r = run_nabla(t, args), run_torch(t, args)
            nabla = n if nabla is None or n["steps_per_second"] > nabla["steps_per_second"] else nabla
            torch_r = r if torch_r is None or r["steps_per_second"] > torch_r["steps_per_second"] else torch_r
        ratio = nabla["steps_per_second"] / torch_r["steps_per_second"]
        print(f"{t:>7}  {nabla['steps_per_second']:>14.1f}  {torch_r['steps_per_second']:>16.1f}  {ratio:>12.2f}x")
    print("Nabla/PyTorch: Nabla's steps per second over PyTorch's (above 1: Nabla faster).")
    print(f"PyTorch {torch_r['version']}, BLAS: {torch_r['blas']}")


if __name__ == "__main__":
    main()
