using Nabla.Tests.Support;

namespace Nabla.Tests.Tensors;

/// <summary>
/// Shape and indexing ops against PyTorch (tools/fixtures_shape.py): forward values and every input gradient,
/// in float64. Index and mask inputs arrive as float tensors (t[1]) and are not differentiated.
/// </summary>
public class ShapeOpsFixtureTests
{
    private const string File = "shape_ops.json";

    /// <summary>The fixture script's <c>pieces</c>: piece k scaled by k + 1, flattened, concatenated.</summary>
    private static Tensor Pieces(Tensor[] parts) =>
        Tensor.Cat(parts.Select((p, k) => (p * (k + 1f)).Reshape(-1)).ToArray());

    private static readonly Dictionary<string, Func<Tensor[], Tensor>> Ops = new()
    {
        // cat
        ["cat_dim0"] = t => Tensor.Cat([t[0], t[1]], 0),
        ["cat_dim1_three"] = t => Tensor.Cat([t[0], t[1], t[2]], 1),
        ["cat_neg_dim"] = t => Tensor.Cat([t[0], t[1]], -1),
        ["cat_middle_dim_3d"] = t => Tensor.Cat([t[0], t[1]], 1),
        ["cat_transposed"] = t => Tensor.Cat([t[0].T, t[1]], 1),
        ["cat_sliced"] = t => Tensor.Cat([t[0].Slice(0, 1, 3).Slice(1, step: 2), t[1]], 0),
        ["cat_size0_part"] = t => Tensor.Cat([t[0], t[1], t[2]], 0),
        ["cat_legacy_empty"] = t => Tensor.Cat([t[0], t[1]], 0),
        ["cat_same_tensor_twice"] = t => Tensor.Cat([t[0], t[0] * 2f, t[0]], 1),
        ["cat_single"] = t => Tensor.Cat([t[0]], 0) * 3f,
        ["cat_one_no_grad"] = t => Tensor.Cat([t[0], t[1]], 0),
        // stack
        ["stack_dim0"] = t => Tensor.Stack([t[0], t[1]], 0),
        ["stack_last"] = t => Tensor.Stack([t[0], t[1], t[2]], -1),
        ["stack_middle_transposed"] = t => Tensor.Stack([t[0].T, t[1]], 1),
        ["stack_size1"] = t => Tensor.Stack([t[0]], 0),
        ["stack_size0"] = t => Tensor.Stack([t[0], t[1]], 1),
        // split, chunk, unbind
        ["split_even"] = t => Pieces(t[0].Split(2)),
        ["split_uneven_dim1"] = t => Pieces(t[0].Split(2, 1)),
        ["split_sizes"] = t => Pieces(t[0].Split([1, 0, 3, 2], 1)),
        ["split_partial_use"] = t => t[0].Split(2)[1] * 3f,
        ["split_transposed"] = t => Pieces(t[0].T.Split(2, 1)),
        ["split_larger_than_dim"] = t => Pieces(t[0].Split(10, -1)),
        ["split_size0_dim"] = t => Pieces(t[0].Split(2)),
        ["chunk_5_into_4"] = t => Pieces(t[0].Chunk(4)),
        ["chunk_neg_dim"] = t => Pieces(t[0].Chunk(3, -1)),
        ["chunk_more_than_size"] = t => Pieces(t[0].Chunk(5, 1)),
        ["chunk_size0_dim"] = t => Pieces(t[0].Chunk(3, 1)),
        ["unbind_dim1"] = t => Pieces(t[0].Unbind(1)),
        ["unbind_last_sum"] = t => Tensor.Stack(t[0].Unbind(-1).Reverse().ToArray(), 0),
        // index_select
        ["index_select_dim0_repeats"] = t => t[0].IndexSelect(0, t[1]),
        ["index_select_dim1"] = t => t[0].IndexSelect(1, t[1]),
        ["index_select_neg_dim_3d"] = t => t[0].IndexSelect(-1, t[1]),
        ["index_select_middle_3d"] = t => t[0].IndexSelect(1, t[1]),
        ["index_select_transposed"] = t => t[0].T.IndexSelect(1, t[1]),
        ["index_select_sliced"] = t => t[0].Slice(0, step: 2).IndexSelect(0, t[1]),
        ["index_select_empty_index"] = t => t[0].IndexSelect(0, t[1]),
        ["index_select_scalar_index"] = t => t[0].IndexSelect(1, t[1]),
        ["index_select_size1"] = t => t[0].IndexSelect(0, t[1]),
        ["index_select_embedding"] = t => t[0].IndexSelect(0, t[1].Reshape(-1)).Reshape(2, 4, 3),
        // gather
        ["gather_dim1_repeats"] = t => t[0].Gather(1, t[1]),
        ["gather_dim0"] = t => t[0].Gather(0, t[1]),
        ["gather_smaller_index"] = t => t[0].Gather(1, t[1]),
        ["gather_3d_neg_dim"] = t => t[0].Gather(-2, t[1]),
        ["gather_3d_dim0"] = t => t[0].Gather(0, t[1]),
        ["gather_transposed"] = t => t[0].T.Gather(0, t[1]),
        ["gather_empty"] = t => t[0].Gather(1, t[1]),
        ["gather_pick_class"] = t => t[0].Gather(1, t[1].Unsqueeze(1)).Squeeze(1),
        // masked_fill
        ["masked_fill_same_shape"] = t => t[0].MaskedFill(t[1], -2.5f),
        ["masked_fill_long_rows"] = t => t[0].MaskedFill(t[1], 7f),
        ["masked_fill_broadcast_mask"] = t => t[0].MaskedFill(t[1], 1f),
        ["masked_fill_broadcast_x"] = t => t[0].MaskedFill(t[1], 0.5f),
        ["masked_fill_neg_inf_exp"] = t => t[0].MaskedFill(t[1], float.NegativeInfinity).Exp(),
        ["masked_fill_transposed"] = t => t[0].T.MaskedFill(t[1], 3f),
        ["masked_fill_scalar_mask_on"] = t => t[0].MaskedFill(t[1], -1f),
        ["masked_fill_scalar_mask_off"] = t => t[0].MaskedFill(t[1], -1f),
        ["masked_fill_size0"] = t => t[0].MaskedFill(t[1], 2f),
        // repeat
        ["repeat_2d"] = t => t[0].Repeat(2, 2),
        ["repeat_lead"] = t => t[0].Repeat(2, 1, 3),
        ["repeat_zero"] = t => t[0].Repeat(0, 2),
        ["repeat_transposed"] = t => t[0].T.Repeat(1, 2),
        ["repeat_ones"] = t => t[0].Repeat(1) * 2f,
        // chains of views
        ["view_t_slice_reshape"] = t => t[0].T.Slice(0, 1, 5, 2).Reshape(-1),
        ["view_slice_of_slice"] = t => t[0].Slice(0, 1).Slice(0, step: 3),
        ["view_negative_slice"] = t => t[0].Slice(0, -3, -1).Slice(1, -2),
        ["view_clamped_slice"] = t => t[0].Slice(0, -100, 2).Slice(1, 1, 100),
        ["view_empty_slice"] = t => t[0].Slice(0, 3, 1) * 2f,
        ["view_select_negative"] = t => t[0][-1].Slice(0, 1) * t[0].Select(1, -2),
        ["view_permute_slice_contiguous_view"] = t => t[0].Permute(2, 0, 1).Slice(1, step: 2).Slice(2, 1).Contiguous().View(-1),
        ["view_narrow_transpose_unsqueeze"] = t => t[0].Narrow(1, 1, 2).Transpose(0, 2).Unsqueeze(1).Squeeze(1),
        ["view_narrow_negative_start"] = t => t[0].Narrow(0, -2, 2),
        ["view_expand_slice"] = t => t[0].Expand(3, 4).Slice(1, 1, 3),
        ["view_select_slice_select"] = t => t[0][1].Slice(1, 2)[-1],
        ["view_flatten_unflatten"] = t => t[0].Flatten(0, 1).Unflatten(0, 3, -1),
        ["view_movedim_slice"] = t => t[0].MoveDim(-1, 0).Slice(0, 1),
        ["view_size1_dims"] = t => t[0].Squeeze(0).T.Unsqueeze(0).Slice(2, 1),
        ["view_transposed_slice_twice_sum"] = t => (t[0].T.Slice(0, step: 2) + t[0].T.Slice(0, 1, step: 2)).Sum(0),
    };

    public static IEnumerable<object[]> Cases => TorchFixture.Names(File);

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesPyTorch(string name)
    {
        Assert.True(Ops.ContainsKey(name), $"no Nabla computation registered for fixture case '{name}'");
        TorchFixture.Verify(TorchFixture.Get(File, name), Ops[name]);
    }

    [Fact]
    public void EveryRegisteredOpHasAFixture() =>
        Assert.Equal(Ops.Keys.OrderBy(k => k), TorchFixture.Load(File).Select(c => c.Name).OrderBy(k => k));

    [Fact]
    public void VerifyFailsOnWrongPiecesOrAWrongGradient()
    {
        // Pieces in the wrong order change the output; a gradient off by a factor (same values) must fail too.
        var split = TorchFixture.Get(File, "split_even");
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => TorchFixture.Verify(split, t => Pieces(t[0].Split(2).Reverse().ToArray())));
        var select = TorchFixture.Get(File, "index_select_dim0_repeats");
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => TorchFixture.Verify(select, t =>
        {
            var y = t[0].IndexSelect(0, t[1]);
            return y.Detach() + (y - y.Detach()) * 0.5f;
        }));
    }
}
