"""The fashion-mlp network's speed side by side: Nabla and PyTorch, in one run.

A 784-256-128-10 ReLU MLP on random data shaped like Fashion-MNIST (pixels uniform in [0, 1), labels
uniform over 10 classes), float32, timed for each library the same way (a warm-up run, then the best of
--repeats runs), on 1 and 2 threads:

- training: samples per second over --batches batches of 64 (forward, cross entropy, backward, and an
  SGD step with momentum 0.9, lr 0.01),
- inference: microseconds per sample at batch 1 (2000 calls) and at batch 256 (40 calls), in evaluation
  mode without gradients.

Nabla runs through the bench program's `mlp-json` mode. Run from the repository root:
    /usr/bin/python3 bench/compare/mlp.py --blas-dir DIR_WITH_OPENBLAS
"""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from runner import best_of, build_bench, run_worker, run_nabla as run_bench_mode  # noqa: E402
from sgemm import OPENBLAS_DIR, loaded_blas  # noqa: E402

BATCH, INPUTS, CLASSES, DISTINCT = 64, 784, 10, 50


def worker(threads, batches, repeats):
    import torch
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    model = torch.nn.Sequential(
        torch.nn.Linear(INPUTS, 256), torch.nn.ReLU(),
        torch.nn.Linear(256, 128), torch.nn.ReLU(),
        torch.nn.Linear(128, CLASSES))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    loss_fn = torch.nn.CrossEntropyLoss()
    xs = [torch.rand(BATCH, INPUTS) for _ in range(DISTINCT)]
    ys = [torch.randint(0, CLASSES, (BATCH,)) for _ in range(DISTINCT)]
    last = {}

    def train():
        model.train()
        for b in range(batches):
            loss = loss_fn(model(xs[b % DISTINCT]), ys[b % DISTINCT])
            optimizer.zero_grad(set_to_none=False)  # torch 1.13's default, stated: Nabla's side zeroes in place too
            loss.backward()
            optimizer.step()
        last["loss"] = loss.item()

    train_seconds = best_of(train, repeats)

    def infer_us(batch, calls):
        x = torch.rand(batch, INPUTS)
        model.eval()

        def run():
            with torch.no_grad():
                for _ in range(calls):
                    model(x)
        return best_of(run, repeats) / (calls * batch) * 1e6

    result = {
        "library": "PyTorch", "version": torch.__version__, "threads": threads, "batches": batches,
        "train_samples_per_second": batches * BATCH / train_seconds,
        "infer_us_per_sample_batch1": infer_us(1, 2000),
        "infer_us_per_sample_batch256": infer_us(256, 40),
        "final_loss": last["loss"], "blas": loaded_blas(),
    }
    print(json.dumps(result))


def run_torch(threads, args):
    return run_worker(__file__, threads, args.blas_dir, ["--threads", threads, "--batches", args.batches, "--repeats", args.repeats])


def run_nabla(threads, args):
    return run_bench_mode("mlp-json", ["--threads", threads, "--batches", args.batches, "--repeats", args.repeats])


def best_result(best, new):
    """Keeps the best of each figure over rounds: the highest samples/s, the lowest microseconds."""
    if best is None:
        return new
    best["train_samples_per_second"] = max(best["train_samples_per_second"], new["train_samples_per_second"])
    for key in ("infer_us_per_sample_batch1", "infer_us_per_sample_batch256"):
        best[key] = min(best[key], new[key])
    return best


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--threads", default="1,2")
    p.add_argument("--batches", type=int, default=300)
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--rounds", type=int, default=1, help="alternate the libraries this many times and keep each one's best")
    p.add_argument("--blas-dir", default=OPENBLAS_DIR if os.path.isdir(OPENBLAS_DIR) else "")
    p.add_argument("--no-build", action="store_true")
    p.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.worker:
        worker(int(args.threads), args.batches, args.repeats)
        return
    if not args.no_build:
        build_bench()
    print(f"784-256-128-10 ReLU MLP, float32; training: {args.batches} batches of {BATCH}, SGD momentum 0.9 "
          f"(best of {args.repeats} x {args.rounds} rounds); inference: eval mode, no grad")
    header = ("threads", "train samples/s", "infer us/sample b=1", "infer us/sample b=256")
    print(f"{header[0]:>7}  {'library':<8}  {header[1]:>16}  {header[2]:>20}  {header[3]:>22}")
    for t in [int(v) for v in args.threads.split(",")]:
        nabla, torch_r = None, None
        for _ in range(args.rounds):  # alternating, so that both libraries see the same machine
            nabla = best_result(nabla, run_nabla(t, args))
            torch_r = best_result(torch_r, run_torch(t, args))
        for r in (nabla, torch_r):
            print(f"{t:>7}  {r['library']:<8}  {r['train_samples_per_second']:>16,.0f}"
                  f"  {r['infer_us_per_sample_batch1']:>20.2f}  {r['infer_us_per_sample_batch256']:>22.3f}")
        # Ratios > 1 mean Nabla is faster.
        print(f"{t:>7}  {'ratio':<8}  {nabla['train_samples_per_second'] / torch_r['train_samples_per_second']:>15.2f}x"
              f"  {torch_r['infer_us_per_sample_batch1'] / nabla['infer_us_per_sample_batch1']:>19.2f}x"
              f"  {torch_r['infer_us_per_sample_batch256'] / nabla['infer_us_per_sample_batch256']:>21.2f}x")
    print("ratio: Nabla's speed over PyTorch's (above 1: Nabla faster).")
    print(f"PyTorch {torch_r['version']}, BLAS: {torch_r['blas']}")


if __name__ == "__main__":
    main()
