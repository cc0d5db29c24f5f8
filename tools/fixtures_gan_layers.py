"""Reference fixtures for the upsampling layers of generators: ConvTranspose2d and Upsample/interpolate.

Writes two files into tests/Nabla.Tests/Fixtures/:

gan_ops.json -- the functional ops, in the FixtureWriter format of fixturelib.py. The transposed-convolution grid
  cases are named convt_n{N}_c{C}_o{O}_h{H}_w{W}_k{KH}x{KW}_s{SH}x{SW}_p{PH}x{PW}_op{OPH}x{OPW}_d{DH}x{DW}_g{groups}_b{0|1}
  and the interpolation cases interp_{nearest|bilinear|bilinear_ac}_h{H}_w{W}_{f{factor}|s{OH}x{OW}}, and the C# test
  reads the settings back from the name.
gan_layers.json -- the modules, in the format of fixtures_nn.py's ModuleFixtureWriter.

Run: /usr/bin/python3 tools/fixtures_gan_layers.py
"""
import itertools

import torch
import torch.nn as nn
import torch.nn.functional as F

from fixturelib import FixtureWriter
from fixtures_nn import ModuleFixtureWriter

torch.set_default_dtype(torch.float64)


def convt_case(fx, n, c, o, h, w, kh, kw, sh, sw, ph, pw, oph, opw, dh, dw, groups, bias):
    name = (f"convt_n{n}_c{c}_o{o}_h{h}_w{w}_k{kh}x{kw}_s{sh}x{sw}_p{ph}x{pw}_op{oph}x{opw}_d{dh}x{dw}"
            f"_g{groups}_b{int(bias)}")
    x, weight = fx.randn(n, c, h, w), fx.randn(c, o // groups, kh, kw)
    args = dict(stride=(sh, sw), padding=(ph, pw), output_padding=(oph, opw), dilation=(dh, dw), groups=groups)
    if bias:
        fx.case(name, lambda x, w, b: F.conv_transpose2d(x, w, b, **args), [x, weight, fx.randn(o)])
    else:
        fx.case(name, lambda x, w: F.conv_transpose2d(x, w, None, **args), [x, weight])


def interp_case(fx, mode, h, w, factor=None, size=None, n=2, c=3):
    tag = {"nearest": "nearest", "bilinear": "bilinear", "bilinear_ac": "bilinear_ac"}[mode]
    what = f"f{factor}" if factor is not None else f"s{size[0]}x{size[1]}"
    name = f"interp_{tag}_h{h}_w{w}_{what}"
    kwargs = dict(scale_factor=factor, size=size)
    if mode == "nearest":
        kwargs["mode"] = "nearest"
    else:
        kwargs["mode"] = "bilinear"
        kwargs["align_corners"] = mode == "bilinear_ac"
    fx.case(name, lambda x: F.interpolate(x, **kwargs), [fx.randn(n, c, h, w)])


def ops():
    fx = FixtureWriter("gan_ops.json", seed=11)

    # The grid: stride 1/2 x padding 0/1 x output padding 0/1 (only below the stride) x batch 1/4 on a non-square
    # input with a non-square kernel, the bias alternating.
    i = 0
    for s, p, op, n in itertools.product((1, 2), (0, 1), (0, 1), (1, 4)):
        if op >= s:
            continue
        kh, kw = ((3, 2), (2, 3), (4, 4))[i % 3]
        convt_case(fx, n, 3, 4, 4, 5, kh, kw, s, s, p, p, op, op, 1, 1, 1, bias=i % 2 == 0)
        i += 1
    # Mixed settings per dim, groups, dilation, the DCGAN doubling (k4 s2 p1), a 1x1 kernel and 7x7 -> 14x14.
    convt_case(fx, 2, 4, 6, 3, 5, 3, 3, 2, 3, 1, 0, 1, 2, 1, 1, 2, True)
    convt_case(fx, 2, 4, 4, 4, 3, 3, 2, 1, 2, 1, 1, 0, 1, 2, 1, 4, False)
    convt_case(fx, 3, 2, 3, 5, 4, 3, 3, 2, 2, 2, 1, 1, 0, 2, 2, 1, True)
    convt_case(fx, 2, 3, 2, 4, 4, 4, 4, 2, 2, 1, 1, 0, 0, 1, 1, 1, True)
    convt_case(fx, 2, 3, 5, 3, 4, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1, True)
    convt_case(fx, 2, 4, 2, 7, 7, 4, 4, 2, 2, 1, 1, 0, 0, 1, 1, 1, False)
    r = fx.randn
    fx.case("convt_input_only", lambda x, w: F.conv_transpose2d(x, w, stride=2, padding=1, output_padding=1),
            [r(2, 3, 3, 3), r(3, 2, 3, 3)], [True, False])
    fx.case("convt_weight_only", lambda x, w, b: F.conv_transpose2d(x, w, b, stride=2), [r(2, 3, 3, 4), r(3, 2, 3, 3), r(2)],
            [False, True, True])

    # Interpolation: integer and fractional factors (the factor itself sets the taps), sizes up and down, odd ratios.
    for mode in ("nearest", "bilinear", "bilinear_ac"):
        interp_case(fx, mode, 3, 4, factor=2)
        interp_case(fx, mode, 4, 3, factor=3)
        interp_case(fx, mode, 5, 4, factor=1.5)
        interp_case(fx, mode, 3, 4, size=(7, 5))
        interp_case(fx, mode, 6, 7, size=(4, 3))
        interp_case(fx, mode, 1, 3, size=(3, 1))
    interp_case(fx, "nearest", 7, 7, factor=2, n=4, c=2)
    fx.write()


def layers():
    w = ModuleFixtureWriter("gan_layers.json", seed=12)
    r = w.randn

    def one(x):
        return [(True, x, True)]

    torch.manual_seed(0)
    w.case("convt_default", nn.ConvTranspose2d(3, 4, 3), one(r(2, 3, 4, 5)))
    w.case("convt_dcgan", nn.ConvTranspose2d(4, 2, 4, stride=2, padding=1, bias=False), one(r(2, 4, 3, 3)))
    w.case("convt_full", nn.ConvTranspose2d(4, 6, (3, 2), stride=(2, 3), padding=(1, 0), output_padding=(1, 2), groups=2,
                                            dilation=(1, 2)), one(r(2, 4, 3, 4)))
    w.case("upsample_nearest", nn.Upsample(scale_factor=2), one(r(2, 3, 3, 4)))
    w.case("upsample_bilinear_size", nn.Upsample(size=(5, 7), mode="bilinear"), one(r(1, 2, 3, 4)))
    w.case("upsample_bilinear_align", nn.Upsample(scale_factor=2, mode="bilinear", align_corners=True), one(r(1, 2, 3, 3)))
    w.case("small_generator", nn.Sequential(
        nn.ConvTranspose2d(4, 3, 4, stride=2, padding=1, bias=False), nn.BatchNorm2d(3), nn.ReLU(),
        nn.Upsample(scale_factor=2), nn.Conv2d(3, 1, 3, padding=1), nn.Tanh()),
        [(True, r(2, 4, 3, 3), True), (True, r(2, 4, 3, 3), True), (False, r(2, 4, 3, 3), True)])
    w.write()


if __name__ == "__main__":
    ops()
    layers()
