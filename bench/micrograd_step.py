#!/usr/bin/python3
"""Times one training step of micrograd's moons demo in CPython, to compare with ScalarBenchmarks.MoonsStep.

The engine below is a short re-implementation of micrograd's algorithm with its data layout (an
ordinary object per node holding a set of children, an op name and a backward closure; a recursive
topological sort), so the comparison is with the same work done the same way: 2-16-16-1 ReLU MLP,
100 points, SVM loss + 1e-4 L2, zero grad, backward, SGD update. CPython's cyclic garbage collector
is what makes the default run slow (the closures make reference cycles), hence both timings.

Run: /usr/bin/python3 bench/micrograd_step.py [steps]
"""
import gc
import math
import random
import statistics
import sys
import time


def _nothing():
    pass


class Value:
    def __init__(self, data, _prev=(), _op=""):
        self.data = data
        self.grad = 0.0
        self._backward = _nothing
        self._prev = set(_prev)
        self._op = _op

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data + other.data, (self, other), "+")

        def _backward():
            self.grad += out.grad
            other.grad += out.grad
        out._backward = _backward
        return out

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data * other.data, (self, other), "*")

        def _backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad
        out._backward = _backward
        return out

    def relu(self):
        out = Value(self.data if self.data > 0 else 0.0, (self,), "ReLU")

        def _backward():
            self.grad += (out.data > 0) * out.grad
        out._backward = _backward
        return out

    def __neg__(self): return self * -1
    def __radd__(self, other): return self + other
    def __rmul__(self, other): return self * other

    def backward(self):
        order, seen = [], set()

        def visit(v):
            if v not in seen:
                seen.add(v)
                for child in v._prev:
                    visit(child)
                order.append(v)
        visit(self)
        self.grad = 1.0
        for v in reversed(order):
            v._backward()
        return len(order)


class Neuron:
    def __init__(self, nin, nonlin):
        self.w = [Value(random.uniform(-1, 1)) for _ in range(nin)]
        self.b = Value(0.0)
        self.nonlin = nonlin

    def __call__(self, x):
        act = sum((wi * xi for wi, xi in zip(self.w, x)), self.b)
        return act.relu() if self.nonlin else act

    def parameters(self): return self.w + [self.b]


class MLP:
    def __init__(self, nin, nouts):
        sizes = [nin] + nouts
        self.layers = [[Neuron(sizes[i], nonlin=i != len(nouts) - 1) for _ in range(sizes[i + 1])]
                       for i in range(len(nouts))]

    def __call__(self, x):
        for layer in self.layers:
            x = [n(x) for n in layer]
        return x[0] if len(x) == 1 else x

    def parameters(self): return [p for layer in self.layers for n in layer for p in n.parameters()]


def moons(n, noise):
    """Two interleaving half circles with Gaussian noise, as sklearn's make_moons; labels -1/+1."""
    n_out = n // 2
    n_in = n - n_out
    X = [[math.cos(math.pi * i / (n_out - 1)), math.sin(math.pi * i / (n_out - 1))] for i in range(n_out)]
    X += [[1 - math.cos(math.pi * i / (n_in - 1)), 0.5 - math.sin(math.pi * i / (n_in - 1))] for i in range(n_in)]
    y = [-1.0] * n_out + [1.0] * n_in
    X = [[a + random.gauss(0, noise), b + random.gauss(0, noise)] for a, b in X]
    return X, y


def step(model, X, y, lr):
    inputs = [list(map(Value, row)) for row in X]
    scores = list(map(model, inputs))
    losses = [(1 + -yi * si).relu() for yi, si in zip(y, scores)]
    data_loss = sum(losses) * (1.0 / len(losses))
    reg_loss = 1e-4 * sum(p * p for p in model.parameters())
    total = data_loss + reg_loss
    for p in model.parameters():
        p.grad = 0.0
    nodes = total.backward()
    for p in model.parameters():
        p.data -= lr * p.grad
    return total.data, nodes


def time_steps(model, X, y, steps):
    """Seconds taken by each of `steps` training steps."""
    times = []
    for _ in range(steps):
        start = time.perf_counter()
        step(model, X, y, 0.5)
        times.append(time.perf_counter() - start)
    return times


def measure(steps):
    """Per-step seconds with the garbage collector on (CPython's default) and off, and the node count.

    Returns (gc_on, gc_off, nodes), where gc_on and gc_off are lists of `steps` timings each.
    """
    random.seed(1337)
    X, y = moons(100, 0.1)
    model = MLP(2, [16, 16, 1])
    _, nodes = step(model, X, y, 0.5)  # warm-up
    default = time_steps(model, X, y, steps)
    gc.collect()  # the gc-off steps start from a clean heap, not from what the gc-on steps left
    gc.disable()
    try:
        no_gc = time_steps(model, X, y, steps)
    finally:
        gc.enable()
    return default, no_gc, nodes


def main():
    steps = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    default, no_gc, nodes = measure(steps)
    print(f"python {sys.version.split()[0]}: micrograd moons step, {nodes} nodes, {steps} steps")
    for name, times in (("gc on (default)", default), ("gc off", no_gc)):
        print(f"{name + ':':17}{statistics.mean(times) * 1e3:7.1f} ms/step mean, {min(times) * 1e3:7.1f} best")


if __name__ == "__main__":
    main()
