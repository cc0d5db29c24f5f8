"""The char-rnn model's training speed side by side: Nabla and PyTorch, in one run.

The model of `nabla train --model char-rnn`: embedding (29 tokens -> 32, padding row 0), one LSTM layer (batch first),
linear to the 29 tokens; cross entropy with the padding ignored, backward, gradient clipping to norm 1, Adam; float32.
Both libraries train one pass over the embedded 3,194-word list (src/Nabla/Data/Embedded/words_small.txt) in the same
fixed batches: the words sorted by length (stable), cut into batches of --batch, each padded to its longest word + 1.
The figure is training characters per second (characters and end tokens predicted; padding not counted), the best of
--repeats passes after a warm-up pass, with all cores and with 1 thread.

Nabla runs through the bench program's `char-rnn-json` mode. Run from the repository root:
    /usr/bin/python3 bench/compare/char_rnn.py --blas-dir DIR_WITH_OPENBLAS
"""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from runner import best_of, build_bench, run_worker, run_nabla as run_bench_mode  # noqa: E402
from sgemm import OPENBLAS_DIR, ROOT, loaded_blas  # noqa: E402

WORDS = os.path.join(ROOT, "src", "Nabla", "Data", "Embedded", "words_small.txt")
PAD, START, END = 0, 1, 2


def batches(batch_size):
    """The same batches as WordDataset.Batches(batch) without shuffling: inputs <s> c1..cn, targets c1..cn </s>."""
    import torch
    words = [w.strip() for w in open(WORDS) if w.strip()]
    chars = sorted(set("".join(words)))
    index = {c: i + 3 for i, c in enumerate(chars)}
    order = sorted(range(len(words)), key=lambda i: len(words[i]))  # stable, as OrderBy
    result, tokens = [], 0
    for s in range(0, len(order), batch_size):
        part = [words[i] for i in order[s:s + batch_size]]
        steps = max(len(w) for w in part) + 1
        x = torch.zeros(len(part), steps, dtype=torch.long)
        y = torch.zeros(len(part), steps, dtype=torch.long)
        for r, w in enumerate(part):
            ids = [index[c] for c in w]
            x[r, 0] = START
            x[r, 1:len(ids) + 1] = torch.tensor(ids)
            y[r, :len(ids)] = torch.tensor(ids)
            y[r, len(ids)] = END
            tokens += len(ids) + 1
        result.append((x, y))
    return result, tokens, len(chars) + 3


def worker(threads, hidden, embedding, batch_size, repeats):
    import torch
    import torch.nn.functional as F
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    data, tokens, vocab = batches(batch_size)

    class CharRnn(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.embedding = torch.nn.Embedding(vocab, embedding, padding_idx=PAD)
            self.rnn = torch.nn.LSTM(embedding, hidden, batch_first=True)
            self.head = torch.nn.Linear(hidden, vocab)

        def forward(self, x):
            out, _ = self.rnn(self.embedding(x))
            return self.head(out)

    model = CharRnn()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    last = {}

    def one_pass():
        for x, y in data:
            loss = F.cross_entropy(model(x).reshape(-1, vocab), y.reshape(-1), ignore_index=PAD)
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
        last["loss"] = loss.item()

    best = best_of(one_pass, repeats)
    print(json.dumps({"library": "PyTorch", "version": torch.__version__, "threads": threads, "batches": len(data),
                      "tokens": tokens, "train_chars_per_second": tokens / best, "final_loss": last["loss"],
                      "blas": loaded_blas()}))


def model_args(threads, args):
    return ["--threads", threads, "--hidden", args.hidden, "--embedding", args.embedding, "--batch", args.batch,
            "--repeats", args.repeats]


def run_torch(threads, args):
    return run_worker(__file__, threads, args.blas_dir, model_args(threads, args))


def run_nabla(threads, args):
    return run_bench_mode("char-rnn-json", model_args(threads, args))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--threads", default=f"{os.cpu_count()},1", help="comma-separated thread counts (default: all cores, then 1)")
    p.add_argument("--hidden", type=int, default=256)
    p.add_argument("--embedding", type=int, default=32)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--rounds", type=int, default=1, help="alternate the libraries this many times and keep each one's best")
    p.add_argument("--blas-dir", default=OPENBLAS_DIR if os.path.isdir(OPENBLAS_DIR) else "")
    p.add_argument("--no-build", action="store_true")
    p.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.worker:
        worker(int(args.threads), args.hidden, args.embedding, args.batch, args.repeats)
        return
    if not args.no_build:
        build_bench()
    print(f"char-rnn: embedding 29x{args.embedding}, LSTM {args.embedding}-{args.hidden}, linear {args.hidden}-29; "
          f"one pass over the 3,194 embedded words in batches of {args.batch} (best of {args.repeats} x {args.rounds} rounds)")
    print(f"{'threads':>7}  {'Nabla chars/s':>14}  {'PyTorch chars/s':>16}  {'Nabla/PyTorch':>13}")
    for t in [int(v) for v in args.threads.split(",")]:
        nabla, torch_r = 0.0, 0.0
        for _ in range(args.rounds):  # alternating, so that both libraries see the same machine
            nabla = max(nabla, run_nabla(t, args)["train_chars_per_second"])
            r = run_torch(t, args)
            torch_r = max(torch_r, r["train_chars_per_second"])
        print(f"{t:>7}  {nabla:>14,.0f}  {torch_r:>16,.0f}  {nabla / torch_r:>12.2f}x")
    print("Nabla/PyTorch: Nabla's speed over PyTorch's (above 1: Nabla faster).")
    print(f"PyTorch {r['version']}, BLAS: {r['blas']}")


if __name__ == "__main__":
    main()
