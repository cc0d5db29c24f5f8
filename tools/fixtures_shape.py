"""Reference fixtures for the shape and indexing ops: cat, stack, split, chunk, unbind, index_select, gather,
masked_fill, repeat, and chains of views (slices of slices, of transposed tensors, negative and empty slices),
with size-0 and size-1 dims, non-contiguous inputs and repeated indices.
Writes tests/Nabla.Tests/Fixtures/shape_ops.json. Run: /usr/bin/python3 tools/fixtures_shape.py

Index and mask inputs are float64 tensors holding integers / 0-1 values (as Nabla takes them) and are
recorded with requires_grad False; the lambdas convert them to what PyTorch wants. Multi-output ops
(split and friends) are recorded through `pieces`, which scales piece k by k + 1 and concatenates the
flattened pieces, so a piece in the wrong place or order changes both the output and the gradients.
"""
import torch

from fixturelib import FixtureWriter

w = FixtureWriter("shape_ops.json", seed=2)
r = w.randn
NO_GRAD = [True, False]


def ix(*values):
    return torch.tensor(values, dtype=torch.float64)


def ix_rand(high, *shape):
    return torch.randint(0, high, shape, generator=w.gen).to(torch.float64)


def mask(*shape):
    return (w.rand(*shape) < 0.4).to(torch.float64)


def pieces(parts):
    return torch.cat([(p * (k + 1)).reshape(-1) for k, p in enumerate(parts)])


# ----- cat -----
w.case("cat_dim0", lambda a, b: torch.cat([a, b], 0), [r(2, 3), r(4, 3)])
w.case("cat_dim1_three", lambda a, b, c: torch.cat([a, b, c], 1), [r(2, 3), r(2, 1), r(2, 4)])
w.case("cat_neg_dim", lambda a, b: torch.cat([a, b], -1), [r(2, 3, 2), r(2, 3, 1)])
w.case("cat_middle_dim_3d", lambda a, b: torch.cat([a, b], 1), [r(2, 1, 4), r(2, 3, 4)])
w.case("cat_transposed", lambda a, b: torch.cat([a.t(), b], 1), [r(3, 2), r(2, 4)])
w.case("cat_sliced", lambda a, b: torch.cat([a[1:3, ::2], b], 0), [r(4, 6), r(2, 3)])
w.case("cat_size0_part", lambda a, b, c: torch.cat([a, b, c], 0), [r(2, 3), r(0, 3), r(1, 3)])
w.case("cat_legacy_empty", lambda e, a: torch.cat([e, a], 0), [r(0), r(2, 3)])
w.case("cat_same_tensor_twice", lambda a: torch.cat([a, a * 2.0, a], 1), [r(2, 2)])
w.case("cat_single", lambda a: torch.cat([a], 0) * 3.0, [r(3, 2)])
w.case("cat_one_no_grad", lambda a, b: torch.cat([a, b], 0), [r(1, 3), r(2, 3)], requires_grad=[False, True])

# ----- stack -----
w.case("stack_dim0", lambda a, b: torch.stack([a, b], 0), [r(2, 3), r(2, 3)])
w.case("stack_last", lambda a, b, c: torch.stack([a, b, c], -1), [r(3), r(3), r(3)])
w.case("stack_middle_transposed", lambda a, b: torch.stack([a.t(), b], 1), [r(3, 2), r(2, 3)])
w.case("stack_size1", lambda a: torch.stack([a], 0), [r(1)])
w.case("stack_size0", lambda a, b: torch.stack([a, b], 1), [r(0, 2), r(0, 2)])

# ----- split, chunk, unbind -----
w.case("split_even", lambda x: pieces(x.split(2)), [r(6, 4)])
w.case("split_uneven_dim1", lambda x: pieces(x.split(2, 1)), [r(3, 5)])
w.case("split_sizes", lambda x: pieces(x.split([1, 0, 3, 2], 1)), [r(3, 6)])
w.case("split_partial_use", lambda x: x.split(2)[1] * 3.0, [r(6, 2)])
w.case("split_transposed", lambda x: pieces(x.t().split(2, 1)), [r(4, 3)])
w.case("split_larger_than_dim", lambda x: pieces(x.split(10, -1)), [r(2, 3)])
w.case("split_size0_dim", lambda x: pieces(x.split(2)), [r(0, 3)])
w.case("chunk_5_into_4", lambda x: pieces(x.chunk(4)), [r(5, 2)])
w.case("chunk_neg_dim", lambda x: pieces(x.chunk(3, -1)), [r(2, 7)])
w.case("chunk_more_than_size", lambda x: pieces(x.chunk(5, 1)), [r(3, 2)])
w.case("chunk_size0_dim", lambda x: pieces(x.chunk(3, 1)), [r(2, 0)])
w.case("unbind_dim1", lambda x: pieces(x.unbind(1)), [r(3, 4)])
w.case("unbind_last_sum", lambda x: torch.stack(list(reversed(x.unbind(-1))), 0), [r(2, 3)])

# ----- index_select -----
w.case("index_select_dim0_repeats", lambda x, i: x.index_select(0, i.long()), [r(5, 3), ix(0, 4, 0, 2, 4, 4)], NO_GRAD)
w.case("index_select_dim1", lambda x, i: x.index_select(1, i.long()), [r(3, 5), ix(4, 1)], NO_GRAD)
w.case("index_select_neg_dim_3d", lambda x, i: x.index_select(-1, i.long()), [r(2, 3, 4), ix(3, 3, 0)], NO_GRAD)
w.case("index_select_middle_3d", lambda x, i: x.index_select(1, i.long()), [r(2, 4, 3), ix(1, 3, 1, 0, 2)], NO_GRAD)
w.case("index_select_transposed", lambda x, i: x.t().index_select(1, i.long()), [r(5, 3), ix(1, 1, 4)], NO_GRAD)
w.case("index_select_sliced", lambda x, i: x[::2].index_select(0, i.long()), [r(6, 4), ix(2, 0, 2)], NO_GRAD)
w.case("index_select_empty_index", lambda x, i: x.index_select(0, i.long()), [r(4, 3), ix()], NO_GRAD)
w.case("index_select_scalar_index", lambda x, i: x.index_select(1, i.long()), [r(4, 3), torch.tensor(2.0, dtype=torch.float64)], NO_GRAD)
w.case("index_select_size1", lambda x, i: x.index_select(0, i.long()), [r(1, 3), ix(0, 0, 0)], NO_GRAD)
w.case("index_select_embedding", lambda x, i: x.index_select(0, i.reshape(-1).long()).reshape(2, 4, 3),
       [r(7, 3), ix_rand(7, 2, 4)], NO_GRAD)

# ----- gather -----
w.case("gather_dim1_repeats", lambda x, i: x.gather(1, i.long()), [r(3, 4), ix_rand(4, 3, 6)], NO_GRAD)
w.case("gather_dim0", lambda x, i: x.gather(0, i.long()), [r(3, 4), ix_rand(3, 2, 4)], NO_GRAD)
w.case("gather_smaller_index", lambda x, i: x.gather(1, i.long()), [r(4, 5), ix_rand(5, 2, 3)], NO_GRAD)
w.case("gather_3d_neg_dim", lambda x, i: x.gather(-2, i.long()), [r(2, 3, 4), ix_rand(3, 2, 5, 3)], NO_GRAD)
w.case("gather_3d_dim0", lambda x, i: x.gather(0, i.long()), [r(3, 2, 4), ix_rand(3, 4, 2, 4)], NO_GRAD)
w.case("gather_transposed", lambda x, i: x.t().gather(0, i.long()), [r(4, 3), ix_rand(3, 2, 4)], NO_GRAD)
w.case("gather_empty", lambda x, i: x.gather(1, i.long()), [r(3, 4), torch.zeros(3, 0, dtype=torch.float64)], NO_GRAD)
w.case("gather_pick_class", lambda x, i: x.gather(1, i.long().unsqueeze(1)).squeeze(1),
       [r(4, 5), ix(4, 0, 2, 2)], NO_GRAD)

# ----- masked_fill -----
w.case("masked_fill_same_shape", lambda x, m: x.masked_fill(m != 0, -2.5), [r(3, 4), mask(3, 4)], NO_GRAD)
w.case("masked_fill_long_rows", lambda x, m: x.masked_fill(m != 0, 7.0), [r(3, 37), mask(3, 37)], NO_GRAD)
w.case("masked_fill_broadcast_mask", lambda x, m: x.masked_fill(m != 0, 1.0), [r(2, 3, 4), mask(3, 1)], NO_GRAD)
w.case("masked_fill_broadcast_x", lambda x, m: x.masked_fill(m != 0, 0.5), [r(4), mask(3, 4)], NO_GRAD)
w.case("masked_fill_neg_inf_exp", lambda x, m: x.masked_fill(m != 0, float("-inf")).exp(), [r(2, 5), mask(1, 5)], NO_GRAD)
w.case("masked_fill_transposed", lambda x, m: x.t().masked_fill(m != 0, 3.0), [r(4, 3), mask(3, 4)], NO_GRAD)
w.case("masked_fill_scalar_mask_on", lambda x, m: x.masked_fill(m != 0, -1.0), [r(2, 3), torch.tensor(1.0, dtype=torch.float64)], NO_GRAD)
w.case("masked_fill_scalar_mask_off", lambda x, m: x.masked_fill(m != 0, -1.0), [r(2, 3), torch.tensor(0.0, dtype=torch.float64)], NO_GRAD)
w.case("masked_fill_size0", lambda x, m: x.masked_fill(m != 0, 2.0), [r(0, 3), mask(3)], NO_GRAD)

# ----- repeat -----
w.case("repeat_2d", lambda x: x.repeat(2, 2), [r(2, 3)])
w.case("repeat_lead", lambda x: x.repeat(2, 1, 3), [r(2, 3)])
w.case("repeat_zero", lambda x: x.repeat(0, 2), [r(2, 3)])
w.case("repeat_transposed", lambda x: x.t().repeat(1, 2), [r(3, 2)])
w.case("repeat_ones", lambda x: x.repeat(1) * 2.0, [r(3)])

# ----- chains of views -----
w.case("view_t_slice_reshape", lambda x: x.t()[1:5:2].reshape(-1), [r(4, 6)])
w.case("view_slice_of_slice", lambda x: x[1:][::3], [r(8, 3)])
w.case("view_negative_slice", lambda x: x[-3:-1, -2:], [r(5, 4)])
w.case("view_clamped_slice", lambda x: x[-100:2, 1:100], [r(4, 3)])
w.case("view_empty_slice", lambda x: x[3:1] * 2.0, [r(5, 4)])
w.case("view_select_negative", lambda x: x[-1][1:] * x[:, -2], [r(3, 4)])
w.case("view_permute_slice_contiguous_view",
       lambda x: x.permute(2, 0, 1)[:, ::2, 1:].contiguous().view(-1), [r(2, 3, 4)])
w.case("view_narrow_transpose_unsqueeze",
       lambda x: x.narrow(1, 1, 2).transpose(0, 2).unsqueeze(1).squeeze(1), [r(3, 4, 5)])
w.case("view_narrow_negative_start", lambda x: x.narrow(0, -2, 2), [r(4, 3)])
w.case("view_expand_slice", lambda x: x.expand(3, 4)[:, 1:3], [r(3, 1)])
w.case("view_select_slice_select", lambda x: x[1][:, 2:][-1], [r(3, 4, 5)])
w.case("view_flatten_unflatten", lambda x: x.flatten(0, 1).unflatten(0, (3, -1)), [r(2, 3, 4)])
w.case("view_movedim_slice", lambda x: x.movedim(-1, 0)[1:], [r(2, 3, 4)])
w.case("view_size1_dims", lambda x: x.squeeze(0).t().unsqueeze(0)[:, :, 1:], [r(1, 3, 1)])
w.case("view_transposed_slice_twice_sum", lambda x: (x.t()[::2] + x.t()[1::2]).sum(0), [r(3, 4)])
w.write()
