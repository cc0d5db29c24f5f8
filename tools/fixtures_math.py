"""Reference fixtures for the math ops: powers and activations, clamp, elementwise max/min, where, comparisons,
the max/min/argmax/var/std/logsumexp reductions, softmax and log-softmax, one-hot. Writes
tests/Nabla.Tests/Fixtures/math_ops.json. Run: /usr/bin/python3 tools/fixtures_math.py

Cases avoid the points where a gradient is a matter of convention only when the case is about something else;
the cases named *_ties, *_bounds, *_zero pin PyTorch's conventions there on purpose. JSON has no NaN or inf, so
cases whose values are infinite (logsumexp over nothing, softmax of -inf rows) are tested in C# instead."""
import torch
import torch.nn.functional as F

from fixturelib import FixtureWriter

w = FixtureWriter("math_ops.json", seed=2)
r = w.randn
t = lambda *rows: torch.tensor(rows, dtype=torch.float64)  # noqa: E731  (a literal tensor)
pos = lambda *shape: w.rand(*shape) + 0.5  # noqa: E731     (strictly positive values)

# ----- powers, abs, sqrt -----
w.case("pow_scalar", lambda a: a.pow(2.5), [pos(3, 4)])
w.case("pow_scalar_two", lambda a: a.pow(2), [r(3, 4)])
w.case("pow_scalar_three", lambda a: a.pow(3), [r(5)])
w.case("pow_scalar_negative", lambda a: a.pow(-1.5), [pos(2, 3)])
w.case("pow_scalar_zero", lambda a: a.pow(0), [r(4)])
w.case("pow_tensor_broadcast", lambda a, b: a.pow(b), [pos(3, 4), r(4)])
w.case("pow_tensor_zero_base", lambda a, b: a.pow(b), [t([0.0, 0.0, 2.0, 1.5]), t([2.0], [0.0])])
w.case("abs", lambda a: a.abs(), [r(3, 4)])
w.case("sqrt", lambda a: a.sqrt(), [w.rand(3, 4) + 0.1])
w.case("sqrt_transposed", lambda a: a.t().sqrt(), [w.rand(4, 3) + 0.1])

# ----- activations -----
w.case("leaky_relu", lambda a: F.leaky_relu(a, 0.25), [r(3, 4)])
w.case("leaky_relu_negative_slope", lambda a: F.leaky_relu(a, -0.5), [r(6)])
w.case("gelu", lambda a: F.gelu(a), [r(3, 4) * 2])
w.case("gelu_range", lambda a: F.gelu(a),
       [t(-12.0, -8.0, -5.0, -3.0, -1.0, -1e-3, 0.0, 1e-3, 0.5, 1.0, 3.0, 5.0, 8.0, 12.0)])
w.case("gelu_transposed", lambda a: F.gelu(a.t()), [r(4, 3)])

# ----- clamp -----
w.case("clamp_bounds", lambda a: a.clamp(-0.5, 0.5), [torch.cat([r(10), t(-0.5, 0.5)])])
w.case("clamp_min_only", lambda a: a.clamp(min=0.0), [torch.cat([r(6), t(0.0)])])
w.case("clamp_max_only", lambda a: a.clamp(max=0.25), [r(2, 4)])
w.case("clamp_min_above_max", lambda a: a.clamp(0.5, -0.5), [r(5)])

# ----- maximum / minimum / where -----
w.case("maximum_broadcast", lambda a, b: torch.maximum(a, b), [r(3, 4), r(4)])
w.case("maximum_ties", lambda a, b: torch.maximum(a, b), [t(1.0, 2.0, 3.0, 4.0), t(1.0, 0.0, 3.0, 5.0)])
w.case("maximum_transposed", lambda a, b: torch.maximum(a.t(), b), [r(4, 3), r(3, 1)])
w.case("minimum_broadcast", lambda a, b: torch.minimum(a, b), [r(2, 1, 3), r(4, 1)])
w.case("minimum_ties", lambda a, b: torch.minimum(a, b), [t([1.0, 2.0], [3.0, 4.0]), t(1.0, 4.0)])
w.case("where_broadcast", lambda c, a, b: torch.where(c != 0, a, b), [t([1.0], [0.0], [2.0]), r(3, 4), r(4)],
       requires_grad=[False, True, True])
w.case("where_same_shape", lambda c, a, b: torch.where(c != 0, a, b), [(r(4, 5) > 0).double(), r(4, 5), r(4, 5)],
       requires_grad=[False, True, True])
w.case("where_transposed", lambda c, a, b: torch.where(c != 0, a.t(), b), [t(0.0, 1.0, -1.0), r(3, 2), r(())],
       requires_grad=[False, True, True])

# ----- comparisons (0/1 results, no gradient) -----
small = t([1.0, 2.0, 3.0], [3.0, 2.0, 1.0])
row = t(2.0, 2.0, 1.0)
for name, fn in [("eq", torch.eq), ("ne", torch.ne), ("lt", torch.lt), ("le", torch.le), ("gt", torch.gt), ("ge", torch.ge)]:
    w.case(f"{name}_broadcast", lambda a, b, fn=fn: fn(a, b).double(), [small, row])
    w.case(f"{name}_scalar", lambda a, fn=fn: fn(a, 2.0).double(), [small])

# ----- max / min reductions -----
ties = t([1.0, 3.0, 3.0], [2.0, 2.0, 0.0], [5.0, 5.0, 5.0])
w.case("max_all", lambda a: a.max(), [r(3, 4)])
w.case("max_all_ties", lambda a: a.max(), [ties])
w.case("max_dim1", lambda a: a.max(1).values, [r(3, 4)])
w.case("max_dim0_keepdim", lambda a: a.max(0, keepdim=True).values, [r(3, 4)])
w.case("max_dim_ties", lambda a: a.max(1).values, [ties])
w.case("max_dim_middle", lambda a: a.max(-2).values, [r(2, 3, 4)])
w.case("max_dim_transposed", lambda a: a.t().max(1).values, [r(4, 3)])
w.case("max_dim_empty_rows", lambda a: a.max(1).values, [r(0, 3)])
w.case("max_dims", lambda a: a.amax((0, 2)), [r(2, 3, 4)])
w.case("max_dims_leading", lambda a: a.amax((0, 1)), [r(3, 4, 5)])
w.case("max_dims_ties_keepdim", lambda a: a.amax((1,), keepdim=True), [ties])
w.case("min_all", lambda a: a.min(), [r(3, 4)])
w.case("min_all_ties", lambda a: a.min(), [t([0.0, 3.0], [0.0, 0.0])])
w.case("min_dim1", lambda a: a.min(1).values, [r(3, 4)])
w.case("min_dim_ties_keepdim", lambda a: a.min(1, keepdim=True).values, [ties])
w.case("min_dims", lambda a: a.amin((-1, 0)), [r(2, 3, 4)])
w.case("argmax_dim1", lambda a: a.argmax(1).double(), [r(3, 4)])
w.case("argmax_dim0_keepdim", lambda a: a.argmax(0, keepdim=True).double(), [r(3, 4)])
w.case("argmax_ties", lambda a: a.argmax(1).double(), [ties])
w.case("argmax_all", lambda a: a.argmax().double(), [r(3, 4)])
w.case("argmin_dim1", lambda a: a.argmin(1).double(), [ties])
w.case("argmin_all", lambda a: a.argmin().double(), [r(2, 3, 4)])

# ----- var / std / logsumexp -----
w.case("var_all", lambda a: a.var(), [r(3, 4)])
w.case("var_dim1", lambda a: a.var(1), [r(3, 4)])
w.case("var_dim0_keepdim", lambda a: a.var(0, keepdim=True), [r(3, 4)])
w.case("var_dims_population", lambda a: torch.var(a, (0, 2), correction=0), [r(2, 3, 4)])
w.case("var_large_mean", lambda a: a.var(1), [r(2, 5) + 1e4])
w.case("std_all", lambda a: a.std(), [r(3, 4)])
w.case("std_dim1_keepdim", lambda a: a.std(1, keepdim=True), [r(3, 4)])
w.case("std_constant_rows", lambda a: a.std(1), [t([2.0, 2.0, 2.0], [1.0, 2.0, 4.0])])
w.case("logsumexp_dim1", lambda a: a.logsumexp(1), [r(3, 4)])
w.case("logsumexp_dim0_keepdim", lambda a: a.logsumexp(0, keepdim=True), [r(3, 4)])
w.case("logsumexp_large", lambda a: a.logsumexp(1), [t([1000.0, 1000.5, 999.0], [-1000.0, -1001.0, -999.5])])
w.case("logsumexp_dims", lambda a: a.logsumexp((0, 2)), [r(2, 3, 4)])

# ----- softmax / log-softmax / one-hot -----
w.case("softmax_last", lambda a: a.softmax(1), [r(3, 5)])
w.case("softmax_dim0", lambda a: a.softmax(0), [r(3, 5)])
w.case("softmax_middle", lambda a: a.softmax(1), [r(2, 3, 4)])
w.case("softmax_large", lambda a: a.softmax(-1), [t([1000.0, 1001.0, 1002.0], [-1000.0, -1000.0, -999.0])])
w.case("softmax_transposed", lambda a: a.t().softmax(1), [r(5, 3)])
w.case("softmax_size1", lambda a: a.softmax(1), [r(3, 1)])
w.case("softmax_empty", lambda a: a.softmax(1), [r(0, 4)])
w.case("log_softmax_last", lambda a: a.log_softmax(1), [r(3, 5)])
w.case("log_softmax_dim0", lambda a: a.log_softmax(0), [r(3, 5)])
w.case("log_softmax_large", lambda a: a.log_softmax(1), [t([1000.0, 1001.0, 1002.0], [-1000.0, -1000.0, -950.0])])
w.case("log_softmax_transposed", lambda a: a.t().log_softmax(1), [r(5, 3)])
w.case("one_hot", lambda a: F.one_hot(a.long(), 5).double(), [t([0.0, 3.0], [4.0, 1.0])], requires_grad=[False])
w.case("one_hot_infer", lambda a: F.one_hot(a.long()).double(), [t(2.0, 0.0, 1.0, 2.0)], requires_grad=[False])
w.write()
