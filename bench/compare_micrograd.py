#!/usr/bin/python3
"""One moons training step: Nabla (C#, BenchmarkDotNet) against micrograd's algorithm in CPython.

Runs the CPython step, then ScalarBenchmarks.MoonsStep, then the CPython step again (so that a
change in machine load during the run shows up), and prints the ratios.

Run from the repository root:  /usr/bin/python3 bench/compare_micrograd.py [python-steps]
"""
import csv
import glob
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import micrograd_step  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
UNITS = {"ns": 1e-9, "us": 1e-6, "μs": 1e-6, "ms": 1e-3, "s": 1.0}


def dotnet_step_seconds():
    """Runs the C# benchmark and reads its mean from BenchmarkDotNet's CSV report."""
    artifacts = os.path.join(ROOT, "BenchmarkDotNet.Artifacts", "compare-micrograd")
    subprocess.run(
        ["dotnet", "run", "-c", "Release", "--project", "bench/Nabla.Bench", "--",
         "--filter", "*ScalarBenchmarks.MoonsStep*", "--job", "short",
         "--exporters", "csv", "--artifacts", artifacts],
        cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    report = glob.glob(os.path.join(artifacts, "results", "*ScalarBenchmarks-report.csv"))[0]
    with open(report, newline="") as f:
        row = next(r for r in csv.DictReader(f) if r["Method"] == "MoonsStep")
    number, unit = re.match(r"([\d.,]+)\s*(\S+)", row["Mean"]).groups()
    return float(number.replace(",", "")) * UNITS[unit]


def main():
    steps = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    before = micrograd_step.measure(steps)
    nabla = dotnet_step_seconds()
    after = micrograd_step.measure(steps)
    gc_on = (before[0] + after[0]) / 2
    gc_off = (before[1] + after[1]) / 2
    print(f"nabla (C#, BenchmarkDotNet mean):  {nabla * 1e3:8.2f} ms/step")
    print(f"micrograd in CPython, gc off:     {gc_off * 1e3:8.1f} ms/step  "
          f"(before {before[1] * 1e3:.1f}, after {after[1] * 1e3:.1f})  -> {gc_off / nabla:.0f}x")
    print(f"micrograd in CPython, gc on:      {gc_on * 1e3:8.1f} ms/step  "
          f"(before {before[0] * 1e3:.1f}, after {after[0] * 1e3:.1f})  -> {gc_on / nabla:.0f}x")


if __name__ == "__main__":
    main()
