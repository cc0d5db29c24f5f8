"""The fashion-cnn network's speed side by side: Nabla and PyTorch, in one run.

The network of `nabla train --model cnn` and the fashion-cnn example: conv(1->32, 3x3, pad 1, no bias)-BatchNorm-ReLU-
maxpool 2, conv(32->64)-BatchNorm-ReLU-maxpool 2, flatten, dropout 0.25, linear(3136->128)-ReLU, linear(128->10), float32,
on random data shaped like Fashion-MNIST (pixels uniform in [0, 1), labels uniform over 10 classes), timed for each
library the same way (a warm-up run, then the best of --repeats runs), on 2 threads (all cores) and 1:

- training: samples per second over --batches batches of 64 (forward, cross entropy, backward, an Adam step, lr 1e-3),
- inference: samples per second over 50 batches of 64, in evaluation mode without gradients,
- Conv2d alone on (64, 32, 14, 14), 3x3, pad 1, 32 -> 64 channels: forward + backward milliseconds (bench/compare/conv.py's
  measurement),

and Nabla's managed heap and working set after each training run, which must stay flat.

Nabla runs through the bench program's `cnn-json` and `conv-json` modes. Run from the repository root:
    /usr/bin/python3 bench/compare/cnn.py --blas-dir DIR_WITH_OPENBLAS
"""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import conv  # noqa: E402
from runner import best_of, build_bench, run_worker, torch_env, run_nabla as run_bench_mode  # noqa: E402
from sgemm import OPENBLAS_DIR, loaded_blas  # noqa: E402

BATCH, CLASSES, DISTINCT, INFER_CALLS = 64, 10, 20, 50


def network(torch):
    nn = torch.nn
    return nn.Sequential(
        nn.Conv2d(1, 32, 3, padding=1, bias=False), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1, bias=False), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Dropout(0.25),
        nn.Linear(64 * 7 * 7, 128), nn.ReLU(),
        nn.Linear(128, CLASSES))


def worker(threads, batches, repeats):
    import torch
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    model = network(torch)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = torch.nn.CrossEntropyLoss()
    xs = [torch.rand(BATCH, 1, 28, 28) for _ in range(DISTINCT)]
    ys = [torch.randint(0, CLASSES, (BATCH,)) for _ in range(DISTINCT)]
    last = {}

    def train():
        model.train()
        for b in range(batches):
            loss = loss_fn(model(xs[b % DISTINCT]), ys[b % DISTINCT])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        last["loss"] = loss.item()

    train_seconds = best_of(train, repeats)
    model.eval()

    def infer():
        with torch.no_grad():
            for c in range(INFER_CALLS):
                model(xs[c % DISTINCT])

    infer_seconds = best_of(infer, repeats)
    print(json.dumps({
        "library": "PyTorch", "version": torch.__version__, "threads": threads, "batches": batches,
        "train_samples_per_second": batches * BATCH / train_seconds,
        "infer_samples_per_second": INFER_CALLS * BATCH / infer_seconds,
        "final_loss": last["loss"], "blas": loaded_blas(),
        "mkldnn": torch.backends.mkldnn.is_available() and torch.backends.mkldnn.enabled,
    }))


def run_torch(threads, args):
    return run_worker(__file__, threads, args.blas_dir, ["--threads", threads, "--batches", args.batches, "--repeats", args.repeats])


def run_nabla(threads, args):
    return run_bench_mode("cnn-json", ["--threads", threads, "--batches", args.batches, "--repeats", args.repeats])


def conv_args(args):
    return argparse.Namespace(shape=conv.DEFAULT_SHAPE, samples=args.conv_samples, sample_seconds=0.2)


def run_conv(library, threads, args):
    """Conv2d (64, 32, 14, 14) 3x3 forward+backward seconds, through conv.py's runners."""
    if library == "Nabla":
        return conv.run_nabla(threads, conv_args(args))["forward_backward_seconds"]
    return run_worker(conv.__file__, threads, args.blas_dir, ["--threads", threads, "--shape", conv.DEFAULT_SHAPE,
                      "--samples", args.conv_samples, "--sample-seconds", "0.2"])["forward_backward_seconds"]


def keep_best(best, new):
    """The best of each figure over rounds: the highest samples/s, the lowest seconds."""
    if best is None:
        return new
    for key in ("train_samples_per_second", "infer_samples_per_second"):
        best[key] = max(best[key], new[key])
    best["conv_seconds"] = min(best["conv_seconds"], new["conv_seconds"])
    return best


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--threads", default="2,1")
    p.add_argument("--batches", type=int, default=100)
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--conv-samples", type=int, default=10)
    p.add_argument("--rounds", type=int, default=1, help="alternate the libraries this many times and keep each one's best")
    p.add_argument("--blas-dir", default=OPENBLAS_DIR if os.path.isdir(OPENBLAS_DIR) else "")
    p.add_argument("--no-build", action="store_true")
    p.add_argument("--json", help="also write all results to this file")
    p.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.worker:
        worker(int(args.threads), args.batches, args.repeats)
        return
    if not args.no_build:
        build_bench()
    print(f"CNN conv32-BN-ReLU-pool, conv64-BN-ReLU-pool, dropout, 3136-128-10, float32, batch {BATCH}; training: "
          f"{args.batches} batches, Adam; inference: {INFER_CALLS} batches, eval mode, no grad (best of {args.repeats} x {args.rounds} rounds)")
    print("Conv2d alone: (64, 32, 14, 14), 3x3, pad 1, 32 -> 64, forward + backward")
    print(f"load before: {os.getloadavg()[0]:.1f} (1-minute average)")
    header = ("threads", "library", "train samples/s", "infer samples/s", "conv fwd+bwd ms")
    print(f"{header[0]:>7}  {header[1]:<8}  {header[2]:>16}  {header[3]:>16}  {header[4]:>16}")
    results = []
    torch_r = None
    for t in [int(v) for v in args.threads.split(",")]:
        nabla, torch_r = None, None
        for _ in range(args.rounds):  # alternating, so that both libraries see the same machine
            n = run_nabla(t, args)
            n["conv_seconds"] = run_conv("Nabla", t, args)
            nabla = keep_best(nabla, n)
            r = run_torch(t, args)
            r["conv_seconds"] = run_conv("PyTorch", t, args)
            torch_r = keep_best(torch_r, r)
        for r in (nabla, torch_r):
            print(f"{t:>7}  {r['library']:<8}  {r['train_samples_per_second']:>16,.0f}  {r['infer_samples_per_second']:>16,.0f}"
                  f"  {r['conv_seconds'] * 1e3:>16.2f}")
        print(f"{t:>7}  {'ratio':<8}  {nabla['train_samples_per_second'] / torch_r['train_samples_per_second']:>15.2f}x"
              f"  {nabla['infer_samples_per_second'] / torch_r['infer_samples_per_second']:>15.2f}x"
              f"  {torch_r['conv_seconds'] / nabla['conv_seconds']:>15.2f}x")
        memory = ", ".join(f"{m['heap_mb']:.1f}/{m['working_set_mb']:.0f}" for m in nabla["memory_after_each_run"])
        print(f"{t:>7}  Nabla heap/working set MB after each training run: {memory}")
        results += [nabla, torch_r]
    print("ratio: Nabla's speed over PyTorch's (above 1: Nabla faster).")
    print(f"load after: {os.getloadavg()[0]:.1f}; PyTorch {torch_r['version']} (oneDNN: {torch_r['mkldnn']}), BLAS: {torch_r['blas']}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)


if __name__ == "__main__":
    main()
