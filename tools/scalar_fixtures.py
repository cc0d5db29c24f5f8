#!/usr/bin/python3
"""Reference values and gradients for the scalar engine (Nabla.Scalar.Value), computed by PyTorch.

Every case evaluates one op (or a small composite expression) on scalar float64 tensors, runs
backward, and records the output value and the gradient of every input. The C# tests rebuild the
same expression from the case's "op" name and compare.

Run from the repository root:  /usr/bin/python3 tools/scalar_fixtures.py
Writes tests/Nabla.Tests/Fixtures/scalar_ops.json (committed, so the tests need no Python).

JSON layout (flat on purpose, so System.Text.Json reads it into plain records):
  {"generator": ..., "torch": ..., "cases": [
     {"op": "mul", "inputs": [1.5, -2.0], "param": null, "value": -3.0, "grads": [-2.0, 1.5]}, ...]}
"param" is the extra number some ops take: the exponent of pow, the constant of add_const, ...
"""
import json
import os

import torch

torch.set_default_dtype(torch.float64)

# op name -> (number of inputs, function of the input tensors and param). The C# side has the same
# table; the names are the contract between the two.
OPS = {
    # primitives
    "add": (2, lambda x, p: x[0] + x[1]),
    "mul": (2, lambda x, p: x[0] * x[1]),
    "pow": (1, lambda x, p: x[0] ** p),
    "exp": (1, lambda x, p: x[0].exp()),
    "log": (1, lambda x, p: x[0].log()),
    "tanh": (1, lambda x, p: x[0].tanh()),
    "relu": (1, lambda x, p: x[0].relu()),
    "sigmoid": (1, lambda x, p: x[0].sigmoid()),
    # derived
    "neg": (1, lambda x, p: -x[0]),
    "sub": (2, lambda x, p: x[0] - x[1]),
    "div": (2, lambda x, p: x[0] / x[1]),
    # with a constant on either side
    "add_const": (1, lambda x, p: x[0] + p),
    "const_add": (1, lambda x, p: p + x[0]),
    "sub_const": (1, lambda x, p: x[0] - p),
    "const_sub": (1, lambda x, p: p - x[0]),
    "mul_const": (1, lambda x, p: x[0] * p),
    "const_mul": (1, lambda x, p: p * x[0]),
    "div_const": (1, lambda x, p: x[0] / p),
    "const_div": (1, lambda x, p: p / x[0]),
    # composites
    "self_add": (1, lambda x, p: x[0] + x[0]),          # one node used twice
    "self_mul": (1, lambda x, p: x[0] * x[0]),
    "double_double": (1, lambda x, p: (x[0] + x[0]) + (x[0] + x[0])),
    "neuron": (5, lambda x, p: (x[0] * x[2] + x[1] * x[3] + x[4]).tanh()),  # x1, x2, w1, w2, b
    "softplus": (1, lambda x, p: (1 + x[0].exp()).log()),
    "mixed": (3, lambda x, p: (x[0] * x[1] + x[2]).tanh() * x[0].sigmoid() / (x[1] ** 2 + 1)
              - (x[2] * x[2] + 0.5).log() + (x[0] - x[1]).relu() ** 3),
    "micrograd_readme": (2, lambda x, p: micrograd_readme(x[0], x[1])),
}


def micrograd_readme(a, b):
    """The expression of micrograd's README (its test_more_ops)."""
    c = a + b
    d = a * b + b ** 3
    c = c + c + 1
    c = c + 1 + c + (-a)
    d = d + d * 2 + (b + a).relu()
    d = d + 3 * d + (b - a).relu()
    e = c - d
    f = e ** 2
    g = f / 2.0
    g = g + 10.0 / f
    return g


UNARY_POINTS = [-2.5, -1.0, -0.3, 0.0, 0.7, 1.0, 3.2]
CASES = [
    ("add", [[1.5, -2.0], [0.0, 0.0], [-3.25, 7.125]], [None]),
    ("mul", [[1.5, -2.0], [0.0, 4.0], [-3.25, 7.125]], [None]),
    ("sub", [[1.5, -2.0], [-3.25, 7.125]], [None]),
    ("div", [[1.5, -2.0], [0.0, 4.0], [-3.25, 0.125]], [None]),
    ("neg", [[x] for x in UNARY_POINTS], [None]),
    ("exp", [[x] for x in UNARY_POINTS + [20.0, -20.0]], [None]),
    ("log", [[x] for x in [1e-3, 0.3, 1.0, 2.718281828459045, 50.0]], [None]),
    ("tanh", [[x] for x in UNARY_POINTS + [10.0, -10.0]], [None]),
    ("relu", [[x] for x in UNARY_POINTS], [None]),
    ("sigmoid", [[x] for x in UNARY_POINTS + [30.0, -30.0]], [None]),
    # integer exponents: any base; others: positive bases only (the C# side rejects the rest)
    ("pow", [[x] for x in UNARY_POINTS], [0.0, 1.0, 2.0, 3.0]),
    ("pow", [[x] for x in [-2.5, -1.0, -0.3, 0.7, 1.0, 3.2]], [-1.0, -2.0]),
    ("pow", [[x] for x in [0.3, 0.7, 1.0, 3.2]], [0.5, -0.5, 1.5, 2.7, -2.5]),
    ("pow", [[0.0]], [1.0, 1.5, 2.0]),
    ("add_const", [[1.5], [-2.0]], [3.0, -0.25]),
    ("const_add", [[1.5], [-2.0]], [3.0, -0.25]),
    ("sub_const", [[1.5], [-2.0]], [3.0, -0.25]),
    ("const_sub", [[1.5], [-2.0]], [3.0, -0.25]),
    ("mul_const", [[1.5], [-2.0]], [3.0, -0.25]),
    ("const_mul", [[1.5], [-2.0]], [3.0, -0.25]),
    ("div_const", [[1.5], [-2.0]], [3.0, -0.25]),
    ("const_div", [[1.5], [-2.0]], [3.0, -0.25]),
    ("self_add", [[1.5], [-2.0]], [None]),
    ("self_mul", [[1.5], [-2.0]], [None]),
    ("double_double", [[1.5]], [None]),
    ("neuron", [[2.0, 0.0, -3.0, 1.0, 6.8813735870195432], [0.5, -1.5, 0.25, 2.0, -0.1]], [None]),
    ("softplus", [[x] for x in UNARY_POINTS], [None]),
    ("mixed", [[0.4, -1.3, 2.2], [-0.8, 0.9, -0.35], [1.7, 0.2, 0.05]], [None]),
    ("micrograd_readme", [[-4.0, 2.0], [1.5, -0.5]], [None]),
]


def evaluate(op, inputs, param):
    count, fn = OPS[op]
    assert len(inputs) == count, (op, inputs)
    xs = [torch.tensor(v, requires_grad=True) for v in inputs]
    y = fn(xs, param)
    y.backward()
    # Inputs that do not reach y (none here, but be safe) have grad None: their gradient is 0.
    grads = [0.0 if x.grad is None else x.grad.item() for x in xs]
    return {"op": op, "inputs": inputs, "param": param, "value": y.item(), "grads": grads}


def main():
    cases = []
    seen = set()
    for op, input_sets, params in CASES:
        for inputs in input_sets:
            for param in params:
                key = (op, tuple(inputs), param)
                if key in seen:
                    continue
                seen.add(key)
                cases.append(evaluate(op, inputs, param))
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    path = os.path.join(root, "tests", "Nabla.Tests", "Fixtures", "scalar_ops.json")
    # One case per line: readable, and a regenerated file diffs line by line. json writes floats
    # with repr(), the shortest text that reads back to the same double, so nothing is rounded.
    header = {"generator": "tools/scalar_fixtures.py", "torch": torch.__version__, "dtype": "float64"}
    with open(path, "w") as f:
        f.write(json.dumps(header)[:-1] + ', "cases": [\n')
        f.write(",\n".join(json.dumps(case) for case in cases))
        f.write("\n]}\n")
    print(f"wrote {len(cases)} cases to {os.path.relpath(path, root)}")


if __name__ == "__main__":
    main()
