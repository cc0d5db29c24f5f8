"""Reference fixtures for MatMul (all of torch.matmul's cases) and the fused Linear.
Writes tests/Nabla.Tests/Fixtures/matmul_ops.json. Run: /usr/bin/python3 tools/fixtures_matmul.py"""
import torch.nn.functional as F

from fixturelib import FixtureWriter

w = FixtureWriter("matmul_ops.json", seed=3)
r = w.randn
w.case("dot_1d_1d", lambda a, b: a @ b, [r(5), r(5)])
w.case("mv_2d_1d", lambda a, b: a @ b, [r(3, 5), r(5)])
w.case("vm_1d_2d", lambda a, b: a @ b, [r(5), r(5, 4)])
w.case("mm_2d_2d", lambda a, b: a @ b, [r(7, 5), r(5, 9)])
w.case("mm_odd_sizes", lambda a, b: a @ b, [r(13, 17), r(17, 11)])
w.case("mm_transposed_a", lambda a, b: a.t() @ b, [r(5, 7), r(5, 3)])
w.case("mm_transposed_b", lambda a, b: a @ b.t(), [r(4, 5), r(6, 5)])
w.case("mm_both_transposed", lambda a, b: a.t() @ b.t(), [r(5, 4), r(6, 5)])
w.case("mm_sliced", lambda a, b: a[:, 1:4] @ b[::2], [r(3, 6), r(6, 2)])
w.case("bmm_3d_3d", lambda a, b: a @ b, [r(2, 3, 4), r(2, 4, 5)])
w.case("bmm_3d_2d", lambda a, b: a @ b, [r(2, 3, 4), r(4, 5)])
w.case("bmm_2d_3d", lambda a, b: a @ b, [r(3, 4), r(2, 4, 5)])
w.case("bmm_broadcast_batch", lambda a, b: a @ b, [r(2, 1, 3, 4), r(5, 4, 2)])
w.case("bmm_1d_3d", lambda a, b: a @ b, [r(4), r(2, 4, 3)])
w.case("bmm_3d_1d", lambda a, b: a @ b, [r(2, 3, 4), r(4)])
w.case("bmm_transposed_batch", lambda a, b: a.transpose(1, 2) @ b, [r(2, 4, 3), r(2, 4, 5)])
w.case("mm_empty_rows", lambda a, b: a @ b, [r(0, 3), r(3, 2)])
w.case("mm_empty_inner", lambda a, b: a @ b, [r(2, 0), r(0, 3)])
w.case("linear_bias", lambda x, wt, b: F.linear(x, wt, b), [r(4, 3), r(5, 3), r(5)])
w.case("linear_no_bias", lambda x, wt: F.linear(x, wt), [r(4, 3), r(5, 3)])
w.case("linear_3d_input", lambda x, wt, b: F.linear(x, wt, b), [r(2, 4, 3), r(5, 3), r(5)])
w.case("linear_1d_input", lambda x, wt, b: F.linear(x, wt, b), [r(3), r(5, 3), r(5)])
w.case("linear_transposed_input", lambda x, wt, b: F.linear(x.t(), wt, b), [r(3, 4), r(5, 3), r(5)])
w.write()
