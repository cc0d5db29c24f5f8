"""Shared helpers for the scripts that write PyTorch reference fixtures for the tests.

Each fixture file is JSON: {"torch_version": ..., "cases": [case, ...]}, where a case is
  {"name": str, "inputs": [{"shape": [...], "data": [...], "requires_grad": bool}],
   "grad_output": {"shape", "data"}, "output": {"shape", "data"}, "grads": [{"shape", "data"} | null]}
All values are float64: the C# tests run the same computation in float64 and compare closely.
The C# side keys each case by name to the same computation (see tests/Nabla.Tests/Support/TorchFixture.cs).

Run with Debian's PyTorch: /usr/bin/python3 tools/<script>.py
"""
import json
import os

import torch

FIXTURE_DIR = os.path.join(os.path.dirname(__file__), "..", "tests", "Nabla.Tests", "Fixtures")


def _tensor_json(t):
    t = t.detach().to(torch.float64).contiguous()
    return {"shape": list(t.shape), "data": [float(v) for v in t.reshape(-1).tolist()]}


class FixtureWriter:
    def __init__(self, file_name, seed=0):
        self.file_name = file_name
        self.cases = []
        self.names = set()
        self.gen = torch.Generator().manual_seed(seed)

    def randn(self, *shape):
        return torch.randn(*shape, generator=self.gen, dtype=torch.float64)

    def rand(self, *shape):
        return torch.rand(*shape, generator=self.gen, dtype=torch.float64)

    def case(self, name, fn, inputs, requires_grad=None):
        """Runs fn(*inputs) in float64, backpropagates a random output gradient, and records everything.

        inputs: float64 tensors (any layout: non-contiguous inputs are recorded by value; the C# test
        recreates the layout itself where it matters). requires_grad: which inputs get gradients
        (default: all)."""
        assert name not in self.names, f"duplicate case name {name}"
        self.names.add(name)
        if requires_grad is None:
            requires_grad = [True] * len(inputs)
        leaves = []
        for t, rg in zip(inputs, requires_grad):
            leaf = t.detach().clone().to(torch.float64)
            leaf.requires_grad_(rg)
            leaves.append(leaf)
        out = fn(*leaves)
        grad_out = torch.randn(out.shape, generator=self.gen, dtype=torch.float64)
        if out.requires_grad:
            out.backward(grad_out)
        self.cases.append({
            "name": name,
            "inputs": [dict(_tensor_json(l), requires_grad=rg) for l, rg in zip(leaves, requires_grad)],
            "grad_output": _tensor_json(grad_out),
            "output": _tensor_json(out),
            "grads": [(_tensor_json(l.grad) if (rg and l.grad is not None) else None)
                      for l, rg in zip(leaves, requires_grad)],
        })

    def write(self):
        os.makedirs(FIXTURE_DIR, exist_ok=True)
        path = os.path.join(FIXTURE_DIR, self.file_name)
        with open(path, "w") as f:
            json.dump({"torch_version": torch.__version__, "cases": self.cases}, f, separators=(",", ":"))
        print(f"wrote {len(self.cases)} cases to {os.path.relpath(path)}")
