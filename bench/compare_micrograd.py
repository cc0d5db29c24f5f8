#!/usr/bin/python3
"""One moons training step: Nabla (C#, BenchmarkDotNet) against micrograd's algorithm in CPython.

Runs the CPython step, then ScalarBenchmarks (MoonsStep, and Backward1M for the nodes per second of
a million-node backward), then the CPython step again, so that a change in machine load during the
run shows up in the before/after columns; the ratios use the average of the two CPython runs. Both
sides are means over many steps, garbage collections included; on a shared machine, run it a few
times and compare runs rather than single numbers.

Run from the repository root:  /usr/bin/python3 bench/compare_micrograd.py [python-steps] [--no-chain] [--without-collect]
(--without-collect also times the step without Value.CollectDeadGraphs() at its end.)
"""
import csv
import glob
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


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    steps = int(args[0]) if args else 5
    methods = ["MoonsStep"] if "--no-chain" in sys.argv else ["MoonsStep", "Backward1M"]
    if "--without-collect" in sys.argv:
        methods.append("MoonsStepWithoutCollect")

    before = micrograd_step.measure(steps)
    nabla = dotnet_seconds(methods)
    after = micrograd_step.measure(steps)

    step = nabla["MoonsStep"]
    mean = statistics.mean
    rows = [("micrograd, CPython, gc off", mean(before[1]), mean(after[1])),
            ("micrograd, CPython, gc on", mean(before[0]), mean(after[0]))]
    print(f"Moons training step ({before[2]} nodes), CPython {sys.version.split()[0]}, one run:")
    print(f"  {'Nabla (C#), BenchmarkDotNet mean':34}{step * 1e3:9.3f} ms/step")
    ratios = []
    for name, b, a in rows:
        python = (b + a) / 2
        ratios.append(python / step)
        print(f"  {name:34}{python * 1e3:9.1f} ms/step  (before {b * 1e3:.1f}, after {a * 1e3:.1f})"
              f"   Nabla is {python / step:5.1f}x faster")
    verdict = "met" if ratios[0] >= GOAL else "NOT met"
    print(f"Ratio to CPython micrograd with gc off: {ratios[0]:.1f}x (goal {GOAL}x: {verdict}); "
          f"with gc on: {ratios[1]:.1f}x")
    if "MoonsStepWithoutCollect" in nabla:
        plain = nabla["MoonsStepWithoutCollect"]
        python = (rows[0][1] + rows[0][2]) / 2
        print(f"Without Value.CollectDeadGraphs() at the end of each step: {plain * 1e3:.3f} ms/step, "
              f"{python / plain:.1f}x CPython with gc off")
    if "Backward1M" in nabla:
        chain = nabla["Backward1M"]
        print(f"Backward over a 1,000,000-node chain: {chain * 1e3:.2f} ms = {1 / chain:.1f} M nodes/s")


if __name__ == "__main__":
    main()
