"""The gan-fashion DCGAN's training speed side by side: Nabla and PyTorch, in one run.

The same networks as the gan-fashion example (DcganSpec at its default sizes, latent 64, widths 64 for G and 48 for D):
  G: Linear(64, 6272, no bias) -> (128, 7, 7) -> BatchNorm2d, ReLU -> ConvTranspose2d(128, 64, 4, 2, 1, no bias)
     -> BatchNorm2d, ReLU -> Conv2d(64, 64, 3, 1, 1, no bias) -> BatchNorm2d, ReLU -> ConvTranspose2d(64, 1, 4, 2, 1) -> Tanh
  D: Conv2d(1, 48, 4, 2, 1) -> LeakyReLU 0.2 -> Conv2d(48, 96, 4, 2, 1, no bias) -> BatchNorm2d, LeakyReLU 0.2
     -> Flatten -> Linear(4704, 1)
on random images in [-1, 1] shaped like Fashion-MNIST, float32, batches of 64 (the example's default). One step is what GanTrainer.Step does:
noise, G forward, D on the real batch and on the detached fakes, BCE-with-logits, D backward and Adam step (3e-4); then
D on the fakes with D's parameters frozen (requires_grad off), G's non-saturating loss, G backward and Adam step (2e-4);
then the moving average of G's weights and batch-norm statistics (decay 0.999) that the example samples from.
Each library is timed the same way (a warm-up run, then the best of --repeats runs of --batches steps); the table
gives seconds per batch and per epoch (937 batches of 60,000 images), on all cores unless --threads says otherwise.

Nabla runs through the bench program's `gan-json` mode. Run from the repository root:
    /usr/bin/python3 bench/compare/gan.py --blas-dir DIR_WITH_OPENBLAS
"""
import argparse
import copy
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from runner import best_of, build_bench, run_worker, run_nabla as run_bench_mode  # noqa: E402
from sgemm import OPENBLAS_DIR, loaded_blas  # noqa: E402

BATCH, LATENT, G_WIDTH, D_WIDTH, DISTINCT, BATCHES_PER_EPOCH = 64, 64, 64, 48, 20, 60000 // 64
G_LR, D_LR, AVERAGE_DECAY = 2e-4, 3e-4, 0.999


def worker(threads, batches, repeats):
    import torch
    import torch.nn as nn
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    g = nn.Sequential(
        nn.Linear(LATENT, 2 * G_WIDTH * 49, bias=False), nn.Unflatten(1, (2 * G_WIDTH, 7, 7)), nn.BatchNorm2d(2 * G_WIDTH), nn.ReLU(),
        nn.ConvTranspose2d(2 * G_WIDTH, G_WIDTH, 4, 2, 1, bias=False), nn.BatchNorm2d(G_WIDTH), nn.ReLU(),
        nn.Conv2d(G_WIDTH, G_WIDTH, 3, 1, 1, bias=False), nn.BatchNorm2d(G_WIDTH), nn.ReLU(),
        nn.ConvTranspose2d(G_WIDTH, 1, 4, 2, 1), nn.Tanh())
    d = nn.Sequential(
        nn.Conv2d(1, D_WIDTH, 4, 2, 1), nn.LeakyReLU(0.2),
        nn.Conv2d(D_WIDTH, 2 * D_WIDTH, 4, 2, 1, bias=False), nn.BatchNorm2d(2 * D_WIDTH), nn.LeakyReLU(0.2),
        nn.Flatten(), nn.Linear(2 * D_WIDTH * 49, 1))
    opt_g = torch.optim.Adam(g.parameters(), G_LR, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(d.parameters(), D_LR, betas=(0.5, 0.999))
    # The moving average of G's weights and batch-norm statistics that samples come from, updated after every G step.
    g_average = copy.deepcopy(g)
    averaged = [(a, s) for a, s in zip(g_average.state_dict().values(), g.state_dict().values()) if a.is_floating_point()]
    counted = [(a, s) for a, s in zip(g_average.state_dict().values(), g.state_dict().values()) if not a.is_floating_point()]
    bce = nn.BCEWithLogitsLoss()
    images = [torch.rand(BATCH, 1, 28, 28) * 2 - 1 for _ in range(DISTINCT)]
    last = {}

    def step(real):
        fake = g(torch.randn(BATCH, LATENT))
        opt_d.zero_grad()
        real_logits, fake_logits = d(real), d(fake.detach())
        d_loss = bce(real_logits, torch.ones_like(real_logits)) + bce(fake_logits, torch.zeros_like(fake_logits))
        d_loss.backward()
        opt_d.step()
        opt_g.zero_grad()
        for p in d.parameters():
            p.requires_grad_(False)
        logits = d(fake)
        g_loss = bce(logits, torch.ones_like(logits))
        g_loss.backward()
        for p in d.parameters():
            p.requires_grad_(True)
        opt_g.step()
        with torch.no_grad():
            for a, s in averaged:
                a.lerp_(s, 1 - AVERAGE_DECAY)
            for a, s in counted:
                a.copy_(s)
        return d_loss.item()

    def run():
        for b in range(batches):
            last["d_loss"] = step(images[b % DISTINCT])

    best = best_of(run, repeats)
    per_batch = best / batches
    print(json.dumps({"library": "PyTorch", "version": torch.__version__, "threads": threads, "batches": batches,
                      "seconds_per_batch": per_batch, "seconds_per_epoch": per_batch * BATCHES_PER_EPOCH,
                      "final_d_loss": last["d_loss"], "blas": loaded_blas()}))


def run_torch(threads, args):
    return run_worker(__file__, threads, args.blas_dir, ["--threads", threads, "--batches", args.batches, "--repeats", args.repeats])


def run_nabla(threads, args):
    return run_bench_mode("gan-json", ["--threads", threads, "--batches", args.batches, "--repeats", args.repeats])


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--threads", default=str(os.cpu_count()), help="comma-separated thread counts (default: all cores)")
    p.add_argument("--batches", type=int, default=30)
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
    print(f"gan-fashion DCGAN training step, batch {BATCH}, float32 (best of {args.repeats} x {args.rounds} rounds of {args.batches} batches)")
    print(f"{'threads':>7}  {'library':<8}  {'s/batch':>9}  {'s/epoch':>9}")
    for t in [int(v) for v in args.threads.split(",")]:
        nabla, torch_r = None, None
        for _ in range(args.rounds):  # alternating, so that both libraries see the same machine
            n, r = run_nabla(t, args), run_torch(t, args)
            nabla = n if nabla is None or n["seconds_per_batch"] < nabla["seconds_per_batch"] else nabla
            torch_r = r if torch_r is None or r["seconds_per_batch"] < torch_r["seconds_per_batch"] else torch_r
        for r in (nabla, torch_r):
            print(f"{t:>7}  {r['library']:<8}  {r['seconds_per_batch']:>9.4f}  {r['seconds_per_epoch']:>9.1f}")
        print(f"{t:>7}  {'ratio':<8}  {torch_r['seconds_per_batch'] / nabla['seconds_per_batch']:>8.2f}x")
    print("ratio: Nabla's speed over PyTorch's (above 1: Nabla faster).")
    print(f"PyTorch {torch_r['version']}, BLAS: {torch_r['blas']}")


if __name__ == "__main__":
    main()
