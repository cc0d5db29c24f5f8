"""Reference fixtures for convolution, pooling, channel dropout and 2-D batch norm.

Writes two files into tests/Nabla.Tests/Fixtures/:

conv_ops.json -- the functional ops, in the FixtureWriter format of fixturelib.py. The Conv2d grid cases are named
  conv2d_n{N}_c{C}_o{O}_h{H}_w{W}_k{KH}x{KW}_s{SH}x{SW}_p{PH}x{PW}_d{DH}x{DW}_g{groups}_b{0|1}, and the C# test reads the
  settings back from the name; every other case is keyed by name to a computation in the test.
conv_layers.json -- the modules, in the format of fixtures_nn.py's ModuleFixtureWriter (printout, names, state, steps,
  state after the steps: BatchNorm2d's running statistics).

Run: /usr/bin/python3 tools/fixtures_conv.py
"""
import itertools

import torch
import torch.nn as nn
import torch.nn.functional as F

from fixturelib import FixtureWriter
from fixtures_nn import ModuleFixtureWriter

torch.set_default_dtype(torch.float64)


def conv2d_name(n, c, o, h, w, kh, kw, sh, sw, ph, pw, dh, dw, groups, bias):
    return (f"conv2d_n{n}_c{c}_o{o}_h{h}_w{w}_k{kh}x{kw}_s{sh}x{sw}_p{ph}x{pw}_d{dh}x{dw}"
            f"_g{groups}_b{int(bias)}")


def conv2d_case(fx, n, c, o, h, w, kh, kw, sh, sw, ph, pw, dh, dw, groups, bias):
    name = conv2d_name(n, c, o, h, w, kh, kw, sh, sw, ph, pw, dh, dw, groups, bias)
    x, weight = fx.randn(n, c, h, w), fx.randn(o, c // groups, kh, kw)
    args = dict(stride=(sh, sw), padding=(ph, pw), dilation=(dh, dw), groups=groups)
    if bias:
        fx.case(name, lambda x, w, b: F.conv2d(x, w, b, **args), [x, weight, fx.randn(o)])
    else:
        fx.case(name, lambda x, w: F.conv2d(x, w, None, **args), [x, weight])


def ops():
    fx = FixtureWriter("conv_ops.json", seed=3)
    r = fx.randn

    # The grid: every stride x padding x dilation x groups (1, 2, depthwise) on a non-square input, one sample, with
    # the kernel shape and the bias alternating; then batches of 8 on a few of them.
    c, o, h, w = 4, 4, 5, 6
    for i, (s, p, d, groups) in enumerate(itertools.product((1, 2), (0, 1, 2), (1, 2), (1, 2, c))):
        kh, kw = ((3, 2), (2, 3))[i % 2]
        conv2d_case(fx, 1, c, o, h, w, kh, kw, s, s, p, p, d, d, groups, bias=i % 3 != 0)
    conv2d_case(fx, 8, 3, 6, 4, 5, 3, 3, 1, 1, 1, 1, 1, 1, 1, True)
    conv2d_case(fx, 8, 4, 4, 5, 4, 2, 3, 2, 1, 0, 2, 1, 2, 2, False)
    conv2d_case(fx, 8, 4, 8, 4, 4, 3, 3, 2, 2, 1, 1, 1, 1, 4, True)      # depthwise with a multiplier of 2
    conv2d_case(fx, 2, 3, 5, 6, 7, 1, 1, 1, 1, 0, 0, 1, 1, 1, True)      # pointwise: no im2col
    conv2d_case(fx, 2, 2, 3, 3, 9, 3, 4, 1, 3, 2, 0, 2, 1, 1, True)      # mixed everything, stride > kernel along W
    fx.case("conv2d_input_only", lambda x, w: F.conv2d(x, w, padding=1), [r(2, 3, 4, 4), r(2, 3, 3, 3)], [True, False])
    fx.case("conv2d_weight_only", lambda x, w, b: F.conv2d(x, w, b, stride=2), [r(2, 3, 5, 5), r(2, 3, 3, 3), r(2)],
            [False, True, True])

    # Conv1d: (N, C, L).
    fx.case("conv1d_basic", lambda x, w, b: F.conv1d(x, w, b), [r(2, 3, 9), r(4, 3, 3), r(4)])
    fx.case("conv1d_stride_pad_dilation", lambda x, w, b: F.conv1d(x, w, b, stride=2, padding=2, dilation=2),
            [r(3, 2, 11), r(5, 2, 3), r(5)])
    fx.case("conv1d_groups_no_bias", lambda x, w: F.conv1d(x, w, stride=1, padding=1, groups=2), [r(1, 4, 7), r(6, 2, 4)])
    fx.case("conv1d_depthwise", lambda x, w: F.conv1d(x, w, padding=1, groups=3), [r(8, 3, 6), r(3, 1, 3)])

    # Max pooling: side by side, overlapping with padding, dilated and non-square with ceil mode, and inputs with
    # many ties (small integers) so that the first-maximum rule decides where the gradient goes.
    fx.case("maxpool_k2_s2", lambda x: F.max_pool2d(x, 2), [r(2, 3, 6, 8)])
    fx.case("maxpool_k2_s2_odd", lambda x: F.max_pool2d(x, 2), [r(1, 2, 7, 9)])
    fx.case("maxpool_k3_s2_p1", lambda x: F.max_pool2d(x, 3, 2, 1), [r(2, 2, 7, 8)])
    fx.case("maxpool_k3_s1_p1", lambda x: F.max_pool2d(x, 3, 1, 1), [r(1, 2, 5, 6)])
    fx.case("maxpool_nonsquare_dilated_ceil", lambda x: F.max_pool2d(x, (2, 3), (2, 1), (1, 1), (2, 1), ceil_mode=True),
            [r(2, 2, 8, 7)])
    fx.case("maxpool_k3_s2_ceil", lambda x: F.max_pool2d(x, 3, 2, ceil_mode=True), [r(1, 3, 8, 10)])
    fx.case("maxpool_ties_k2_s2", lambda x: F.max_pool2d(x, 2), [torch.randint(0, 2, (2, 2, 6, 6), generator=fx.gen).double()])
    fx.case("maxpool_ties_k3_s2_p1", lambda x: F.max_pool2d(x, 3, 2, 1),
            [torch.randint(0, 3, (2, 2, 7, 7), generator=fx.gen).double()])
    fx.case("maxpool_ties_wide", lambda x: F.max_pool2d(x, (2, 3), 1), [torch.randint(0, 2, (1, 2, 5, 20), generator=fx.gen).double()])
    fx.case("maxpool_wide_rows", lambda x: F.max_pool2d(x, 3, 2, 1), [r(1, 2, 5, 37)])

    # Average pooling: padding counted and not, ceil mode (windows that run past the padding), divisor override.
    fx.case("avgpool_k2_s2", lambda x: F.avg_pool2d(x, 2), [r(2, 3, 6, 8)])
    fx.case("avgpool_k3_s2_p1_include_pad", lambda x: F.avg_pool2d(x, 3, 2, 1), [r(2, 2, 7, 8)])
    fx.case("avgpool_k3_s2_p1_exclude_pad", lambda x: F.avg_pool2d(x, 3, 2, 1, count_include_pad=False), [r(2, 2, 7, 8)])
    fx.case("avgpool_ceil_include_pad", lambda x: F.avg_pool2d(x, 3, 2, 1, ceil_mode=True), [r(1, 2, 6, 9)])
    fx.case("avgpool_ceil_exclude_pad", lambda x: F.avg_pool2d(x, 3, 2, 1, ceil_mode=True, count_include_pad=False),
            [r(1, 2, 6, 9)])
    fx.case("avgpool_nonsquare", lambda x: F.avg_pool2d(x, (3, 2), (1, 2), (1, 0)), [r(2, 2, 5, 7)])
    fx.case("avgpool_divisor_override", lambda x: F.avg_pool2d(x, 2, 1, divisor_override=3), [r(1, 2, 4, 5)])
    fx.case("avgpool_wide_rows", lambda x: F.avg_pool2d(x, 3, 2, 1, count_include_pad=False), [r(1, 1, 4, 41)])

    # Adaptive average pooling, to sizes that do not divide the input (overlapping windows), to larger sizes, global.
    fx.case("adaptive_7x9_to_3x4", lambda x: F.adaptive_avg_pool2d(x, (3, 4)), [r(2, 2, 7, 9)])
    fx.case("adaptive_5x5_to_2x3", lambda x: F.adaptive_avg_pool2d(x, (2, 3)), [r(1, 3, 5, 5)])
    fx.case("adaptive_global", lambda x: F.adaptive_avg_pool2d(x, 1), [r(3, 4, 5, 6)])
    fx.case("adaptive_upsample_4x3_to_6x5", lambda x: F.adaptive_avg_pool2d(x, (6, 5)), [r(1, 2, 4, 3)])
    fx.case("adaptive_same_size", lambda x: F.adaptive_avg_pool2d(x, (4, 5)), [r(1, 2, 4, 5)])

    # Channel dropout outside training is the identity (random masks are tested by their statistics in C#).
    fx.case("dropout2d_eval", lambda x: F.dropout2d(x, 0.4, training=False), [r(2, 3, 2, 2)])

    # Functional batch norm on 4-D input, training (batch statistics) and evaluation (running statistics).
    fx.case("batch_norm_2d_train", lambda x, w, b: F.batch_norm(x, None, None, w, b, training=True, eps=1e-3),
            [r(4, 3, 5, 6), r(3), r(3)])
    fx.case("batch_norm_2d_eval", lambda x, w, b, rm, rv: F.batch_norm(x, rm, rv, w, b, training=False),
            [r(4, 3, 5, 6), r(3), r(3), r(3), r(3).abs() + 0.5], [True, True, True, False, False])
    fx.write()


def layers():
    w = ModuleFixtureWriter("conv_layers.json", seed=4)
    r = w.randn

    def one(x):
        return [(True, x, True)]

    torch.manual_seed(0)
    w.case("conv2d_default", nn.Conv2d(3, 4, 3), one(r(2, 3, 5, 6)))
    w.case("conv2d_full", nn.Conv2d(4, 6, (3, 2), stride=(2, 1), padding=(1, 0), dilation=(1, 2), groups=2, bias=False),
           one(r(2, 4, 7, 6)))
    w.case("conv2d_depthwise", nn.Conv2d(4, 4, 3, padding=1, groups=4), one(r(2, 4, 5, 5)))
    w.case("conv2d_square_settings", nn.Conv2d(2, 3, 3, stride=2, padding=2, dilation=2), one(r(1, 2, 7, 7)))
    w.case("conv1d", nn.Conv1d(3, 4, 3, stride=2, padding=1, dilation=2), one(r(2, 3, 10)))
    w.case("conv1d_groups_no_bias", nn.Conv1d(4, 2, 2, groups=2, bias=False), one(r(3, 4, 6)))
    w.case("maxpool2d", nn.MaxPool2d(2), one(r(2, 3, 6, 6)))
    w.case("maxpool2d_overlap", nn.MaxPool2d(3, stride=2, padding=1), one(r(2, 2, 7, 7)))
    w.case("maxpool2d_tuples", nn.MaxPool2d((2, 3), stride=(1, 2), dilation=(2, 1), ceil_mode=True), one(r(1, 2, 7, 8)))
    w.case("avgpool2d", nn.AvgPool2d(2), one(r(2, 3, 6, 6)))
    w.case("avgpool2d_exclude_pad", nn.AvgPool2d(3, 2, 1, count_include_pad=False), one(r(2, 2, 7, 7)))
    w.case("avgpool2d_tuples_ceil", nn.AvgPool2d((3, 2), stride=(2, 1), padding=(1, 1), ceil_mode=True), one(r(1, 2, 6, 5)))
    w.case("adaptive_avgpool2d", nn.AdaptiveAvgPool2d((3, 4)), one(r(2, 2, 7, 9)))
    w.case("adaptive_avgpool2d_global", nn.AdaptiveAvgPool2d(1), one(r(2, 3, 4, 5)))
    w.case("dropout2d_eval", nn.Dropout2d(0.3), [(False, r(2, 3, 2, 2), True)])

    # BatchNorm2d: training steps move the running statistics, then evaluation uses them.
    def train_then_eval(shape, steps=3):
        return [(True, r(*shape) * 2 + 1, True) for _ in range(steps)] + [(False, r(*shape), True)]

    w.case("batchnorm2d", nn.BatchNorm2d(3), train_then_eval((4, 3, 5, 6)))
    w.case("batchnorm2d_momentum_eps", nn.BatchNorm2d(2, eps=1e-3, momentum=0.3), train_then_eval((2, 2, 3, 4)))
    w.case("batchnorm2d_no_affine", nn.BatchNorm2d(3, affine=False), train_then_eval((3, 3, 2, 3), steps=2))
    w.case("batchnorm2d_cumulative", nn.BatchNorm2d(2, momentum=None), train_then_eval((3, 2, 3, 3)))
    w.case("batchnorm2d_no_running_stats", nn.BatchNorm2d(2, track_running_stats=False), train_then_eval((2, 2, 3, 3), steps=1))
    w.case("batchnorm2d_batch_of_one", nn.BatchNorm2d(2), train_then_eval((1, 2, 3, 4), steps=1))

    # A small network: names (0.weight, 1.running_mean, ...), printout and every gradient end to end.
    w.case("small_cnn", nn.Sequential(
        nn.Conv2d(3, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(4, 4, 3, padding=1, groups=2), nn.AvgPool2d(2), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(4, 2)),
        [(True, r(2, 3, 8, 8), True), (True, r(2, 3, 8, 8), True), (False, r(2, 3, 8, 8), True)])
    w.write()


if __name__ == "__main__":
    ops()
    layers()
