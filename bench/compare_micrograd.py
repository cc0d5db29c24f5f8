#!/usr/bin/python3
"""One moons training step: Nabla (C#) against micrograd's algorithm in CPython.

First, rounds side by side: each round times a few CPython steps (gc on, then gc off) and then
300 Nabla steps (`Nabla.Bench.dll scalar-profile --json`: means over the steps, collections
included, after half a second of warm-up), so both sides of a round see the same machine load;
the ratio is taken per round and the median over the rounds is the figure. On a shared machine the
load drifts by tens of percent within minutes, which is why the rounds are short and interleaved.
Then BenchmarkDotNet's ScalarBenchmarks (MoonsStep and Backward1M, for the nodes per second of a
million-node backward) for the absolute figures, sandwiched between two more CPython runs.

Run from the repository root:
  /usr/bin/python3 bench/compare_micrograd.py [python-steps] [--rounds N] [--no-chain] [--without-collect] [--no-bdn]
(--without-collect also times the step without Value.CollectDeadGraphs() at its end; --no-bdn
runs the rounds only.)
"""
import csv
import glob
import json
import os
import re
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import micrograd_step  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
UNITS = {"ns": 1e-9, "us": 1e-6, "μs": 1e-6, "ms": 1e-3, "s": 1.0}
GOAL = 100  # times faster than CPython micrograd with gc off (the target)


def dotnet_seconds(methods):
    """Runs the C# benchmarks and reads each method's mean from BenchmarkDotNet's CSV report."""
    artifacts = os.path.join(ROOT, "BenchmarkDotNet.Artifacts", "compare-micrograd")
    for old in glob.glob(os.path.join(artifacts, "results", "*ScalarBenchmarks-report.csv")):
        os.remove(old)
    filters = [f"*ScalarBenchmarks.{m}" for m in methods]
    subprocess.run(
        ["dotnet", "run", "-c", "Release", "--project", "bench/Nabla.Bench", "--",
         "--filter", *filters, "--launchCount", "1", "--warmupCount", "5", "--iterationCount", "10",
         "--exporters", "csv", "--artifacts", artifacts],
        cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    report = glob.glob(os.path.join(artifacts, "results", "*ScalarBenchmarks-report.csv"))[0]
    means = {}
    with open(report, newline="") as f:
        for row in csv.DictReader(f):
            number, unit = re.match(r"([\d.,]+)\s*(\S+)", row["Mean"]).groups()
            means[row["Method"]] = float(number.replace(",", "")) * UNITS[unit]
    return means


def nabla_step_seconds(steps=300):
    """Mean seconds per moons step over `steps` steps of the built Nabla.Bench (scalar-profile --json)."""
    dll = os.path.join(ROOT, "bench", "Nabla.Bench", "bin", "Release", "net10.0", "Nabla.Bench.dll")
    out = subprocess.run(["dotnet", dll, "scalar-profile", "--steps", str(steps), "--json"],
                         cwd=ROOT, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])["mean_ms"] * 1e-3


def option(name, default):
    return int(sys.argv[sys.argv.index(name) + 1]) if name in sys.argv else default


def main():
    args = [a for i, a in enumerate(sys.argv[1:], 1)
            if not a.startswith("--") and sys.argv[i - 1] != "--rounds"]
    steps = int(args[0]) if args else 5
    rounds = option("--rounds", 5)
    mean = statistics.mean

    subprocess.run(["dotnet", "build", "-c", "Release", "bench/Nabla.Bench"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    print(f"Moons training step, CPython {sys.version.split()[0]}, {rounds} rounds side by side "
          f"({steps} CPython steps, then 300 Nabla steps, per round):")
    off, on = [], []
    for r in range(rounds):
        gc_on, gc_off, nodes = micrograd_step.measure(steps)
        nabla = nabla_step_seconds()
        off.append(mean(gc_off) / nabla)
        on.append(mean(gc_on) / nabla)
        print(f"  round {r + 1}: Nabla {nabla * 1e3:6.3f} ms, CPython gc off {mean(gc_off) * 1e3:6.1f} ms "
              f"({off[-1]:5.1f}x), gc on {mean(gc_on) * 1e3:7.1f} ms ({on[-1]:5.1f}x)")
    median = statistics.median
    verdict = "met" if median(off) >= GOAL else "NOT met"
    print(f"{nodes} nodes. Median ratio to CPython micrograd with gc off: {median(off):.1f}x "
          f"(rounds {min(off):.1f}x to {max(off):.1f}x; goal {GOAL}x: {verdict}); with gc on: {median(on):.1f}x")
    if "--no-bdn" in sys.argv:
        return

    methods = ["MoonsStep"] if "--no-chain" in sys.argv else ["MoonsStep", "Backward1M"]
    if "--without-collect" in sys.argv:
        methods.append("MoonsStepWithoutCollect")
    before = micrograd_step.measure(steps)
    bdn = dotnet_seconds(methods)
    after = micrograd_step.measure(steps)
    step = bdn["MoonsStep"]
    python = (mean(before[1]) + mean(after[1])) / 2
    print(f"BenchmarkDotNet: MoonsStep {step * 1e3:.3f} ms/step; CPython gc off around it "
          f"{mean(before[1]) * 1e3:.1f} and {mean(after[1]) * 1e3:.1f} ms ({python / step:.1f}x)")
    if "MoonsStepWithoutCollect" in bdn:
        plain = bdn["MoonsStepWithoutCollect"]
        print(f"Without Value.CollectDeadGraphs() at the end of each step: {plain * 1e3:.3f} ms/step, "
              f"{python / plain:.1f}x CPython with gc off")
    if "Backward1M" in bdn:
        chain = bdn["Backward1M"]
        print(f"Backward over a 1,000,000-node chain: {chain * 1e3:.2f} ms = {1 / chain:.1f} M nodes/s")


if __name__ == "__main__":
    main()
