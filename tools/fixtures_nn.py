"""Reference fixtures for the layers and losses of Nabla.NN.

Writes two files into tests/Nabla.Tests/Fixtures/:

nn_layers.json -- modules with state. Each case builds a torch module with a fixed seed and records:
  {"name", "repr": str(module), "param_names": [...named_parameters order...],
   "state": [{"name", "shape", "data"}, ...]            state_dict before the first step (all float64),
   "steps": [{"train": bool, "input", "input_requires_grad", "grad_output", "output",
              "input_grad" | null, "param_grads": [{"name", "shape", "data"}, ...]}, ...],
   "state_after": [...]}                                   state_dict after the last step (running statistics)
  The C# test loads "state" into the Nabla module (converted to float64) with LoadStateDict, replays the steps
  (gradients zeroed before each) and compares every value, gradient and final buffer.

nn_losses.json -- losses, in the FixtureWriter format of fixturelib.py (class-index targets are stored as floats).

Run: /usr/bin/python3 tools/fixtures_nn.py
"""
import json
import os

import torch
import torch.nn as nn
import torch.nn.functional as F

from fixturelib import FIXTURE_DIR, FixtureWriter, _tensor_json

torch.set_default_dtype(torch.float64)


def _named(name, t):
    return dict(_tensor_json(t), name=name)


class ModuleFixtureWriter:
    def __init__(self, file_name, seed=0):
        self.file_name = file_name
        self.cases = []
        self.gen = torch.Generator().manual_seed(seed)

    def randn(self, *shape):
        return torch.randn(*shape, generator=self.gen)

    def case(self, name, module, steps, prepare=None):
        """steps: list of (train: bool, input tensor, input_requires_grad: bool)."""
        assert all(c["name"] != name for c in self.cases), name
        module = module.double()
        if prepare is not None:
            with torch.no_grad():
                prepare(module)
        state = [_named(k, v) for k, v in module.state_dict().items()]
        recorded = []
        for train, x, requires_grad in steps:
            module.train(train)
            module.zero_grad(set_to_none=True)
            leaf = x.detach().clone()
            leaf.requires_grad_(requires_grad)
            inp = leaf if requires_grad else leaf.long()
            out = module(inp)
            grad_out = torch.randn(out.shape, generator=self.gen)
            if out.requires_grad:
                out.backward(grad_out)
            recorded.append({
                "train": train,
                "input": _tensor_json(leaf),
                "input_requires_grad": requires_grad,
                "grad_output": _tensor_json(grad_out),
                "output": _tensor_json(out),
                "input_grad": _tensor_json(leaf.grad) if leaf.grad is not None else None,
                "param_grads": [_named(n, p.grad) for n, p in module.named_parameters() if p.grad is not None],
            })
        self.cases.append({
            "name": name,
            "repr": repr(module),
            "param_names": [n for n, _ in module.named_parameters()],
            "state": state,
            "steps": recorded,
            "state_after": [_named(k, v) for k, v in module.state_dict().items()],
        })

    def write(self):
        path = os.path.join(FIXTURE_DIR, self.file_name)
        with open(path, "w") as f:
            json.dump({"torch_version": torch.__version__, "cases": self.cases}, f, separators=(",", ":"))
        print(f"wrote {len(self.cases)} cases to {os.path.relpath(path)}")


def layers():
    torch.manual_seed(0)
    w = ModuleFixtureWriter("nn_layers.json", seed=1)
    r = w.randn

    def one(x):
        return [(True, x, True)]

    w.case("linear", nn.Linear(5, 3), one(r(4, 5)))
    w.case("linear_no_bias_3d", nn.Linear(5, 3, bias=False), one(r(2, 3, 5)))
    w.case("relu", nn.ReLU(), one(r(3, 4)))
    w.case("sigmoid", nn.Sigmoid(), one(r(3, 4)))
    w.case("tanh", nn.Tanh(), one(r(3, 4)))
    w.case("leaky_relu", nn.LeakyReLU(0.125), one(r(3, 4)))
    w.case("gelu", nn.GELU(), one(r(3, 4) * 2))
    w.case("gelu_tanh", nn.GELU(approximate="tanh"), one(r(3, 4) * 2))
    w.case("softmax", nn.Softmax(dim=1), one(r(3, 4)))
    w.case("log_softmax", nn.LogSoftmax(dim=-1), one(r(2, 3, 4)))
    w.case("identity", nn.Identity(), one(r(2, 3)))
    w.case("flatten", nn.Flatten(), one(r(2, 3, 4)))
    w.case("flatten_0_1", nn.Flatten(0, 1), one(r(2, 3, 4)))
    w.case("dropout_eval", nn.Dropout(0.5), [(False, r(3, 4), True)])

    # BatchNorm1d: several training steps (running statistics move), then evaluation with them.
    w.case("batchnorm1d_2d", nn.BatchNorm1d(4),
           [(True, r(6, 4) * 2 + 1, True), (True, r(6, 4) - 3, True), (True, r(5, 4) * 0.5, True), (False, r(3, 4), True)],
           prepare=lambda m: (m.weight.copy_(torch.rand(4) + 0.5), m.bias.copy_(torch.randn(4))))
    w.case("batchnorm1d_3d", nn.BatchNorm1d(3, momentum=0.3),
           [(True, r(4, 3, 5) * 3 + 2, True), (True, r(4, 3, 5), True), (False, r(2, 3, 5), True)],
           prepare=lambda m: (m.weight.copy_(torch.rand(3) + 0.5), m.bias.copy_(torch.randn(3))))
    w.case("batchnorm1d_no_affine", nn.BatchNorm1d(4, affine=False, eps=1e-3),
           [(True, r(5, 4), True), (True, r(5, 4) + 1, True), (False, r(2, 4), True)])
    w.case("batchnorm1d_cumulative", nn.BatchNorm1d(3, momentum=None),
           [(True, r(4, 3), True), (True, r(4, 3) * 2, True), (True, r(4, 3) - 1, True), (False, r(2, 3), True)])
    w.case("batchnorm1d_no_running_stats", nn.BatchNorm1d(3, track_running_stats=False),
           [(True, r(4, 3), True), (False, r(5, 3), True)],
           prepare=lambda m: (m.weight.copy_(torch.rand(3) + 0.5), m.bias.copy_(torch.randn(3))))

    w.case("layernorm", nn.LayerNorm(6), one(r(3, 6) * 2 + 1),
           prepare=lambda m: (m.weight.copy_(torch.rand(6) + 0.5), m.bias.copy_(torch.randn(6))))
    w.case("layernorm_2d_shape", nn.LayerNorm([3, 4]), one(r(2, 3, 4)),
           prepare=lambda m: (m.weight.copy_(torch.rand(3, 4) + 0.5), m.bias.copy_(torch.randn(3, 4))))
    w.case("layernorm_no_affine", nn.LayerNorm(5, eps=1e-3, elementwise_affine=False), one(r(2, 2, 5)))

    idx = torch.tensor([[1., 4., 9.], [4., 0., 2.]])
    w.case("embedding", nn.Embedding(10, 4), [(True, idx, False)])
    # The padding row is set to non-zero values: it is still read in the forward, but gets no gradient.
    pad_idx = torch.tensor([[0., 3., 0.], [2., 0., 3.]])
    w.case("embedding_padding", nn.Embedding(5, 3, padding_idx=0), [(True, pad_idx, False)],
           prepare=lambda m: m.weight[0].copy_(torch.tensor([0.5, -1.0, 2.0])))

    w.case("mlp", nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 8), nn.Tanh(), nn.Linear(8, 3)), one(r(5, 4)))
    nested = nn.Sequential(
        nn.Linear(4, 6),
        nn.Sequential(nn.BatchNorm1d(6), nn.ReLU()),
        nn.Sequential(nn.Linear(6, 5), nn.GELU(), nn.Sequential(nn.LayerNorm(5), nn.Dropout(0.0))),  # p = 0: deterministic
        nn.Linear(5, 2))
    w.case("nested", nested, [(True, r(6, 4), True), (True, r(6, 4), True), (False, r(3, 4), True)])
    w.write()


def losses():
    w = FixtureWriter("nn_losses.json", seed=2)
    r, u = w.randn, w.rand

    for red in ("mean", "sum", "none"):
        w.case(f"mse_{red}", lambda x, y, red=red: F.mse_loss(x, y, reduction=red), [r(3, 4), r(3, 4)])
        w.case(f"l1_{red}", lambda x, y, red=red: F.l1_loss(x, y, reduction=red), [r(3, 4), r(3, 4)])
        w.case(f"huber_{red}", lambda x, y, red=red: F.huber_loss(x, y, reduction=red), [r(3, 4) * 2, r(3, 4)])
        w.case(f"smooth_l1_{red}", lambda x, y, red=red: F.smooth_l1_loss(x, y, reduction=red, beta=0.5), [r(3, 4) * 2, r(3, 4)])
        w.case(f"bce_{red}", lambda x, y, red=red: F.binary_cross_entropy(x, y, reduction=red), [u(3, 4) * 0.9 + 0.05, u(3, 4)])
        w.case(f"bce_logits_{red}", lambda x, y, red=red: F.binary_cross_entropy_with_logits(x, y, reduction=red),
               [r(3, 4) * 3, u(3, 4)])
    w.case("huber_delta", lambda x, y: F.huber_loss(x, y, delta=0.7), [r(4, 3) * 2, r(4, 3)])
    w.case("smooth_l1_beta0", lambda x, y: F.smooth_l1_loss(x, y, beta=0.0), [r(4, 3), r(4, 3)])
    w.case("mse_1d", lambda x, y: F.mse_loss(x, y, reduction="sum"), [r(5), r(5)])
    w.case("bce_weight", lambda x, y, wt: F.binary_cross_entropy(x, y, weight=wt), [u(3, 4) * 0.9 + 0.05, u(3, 4), u(4) + 0.5],
           requires_grad=[True, True, False])
    # At 0 and 1 the logs are clamped at -100 and the gradient's denominator at 1e-12 (the target gradient is infinite there).
    w.case("bce_edges", lambda x, y: F.binary_cross_entropy(x, y, reduction="none"),
           [torch.tensor([0.0, 1.0, 0.0, 1.0, 0.5]), torch.tensor([0.0, 0.0, 1.0, 1.0, 0.5])], requires_grad=[True, False])
    w.case("bce_logits_weight", lambda x, y, wt: F.binary_cross_entropy_with_logits(x, y, weight=wt, reduction="sum"),
           [r(3, 4), u(3, 4), u(3, 1)], requires_grad=[True, True, False])
    w.case("bce_logits_pos_weight", lambda x, y, pw: F.binary_cross_entropy_with_logits(x, y, pos_weight=pw),
           [r(3, 4) * 2, u(3, 4), u(4) * 3], requires_grad=[True, True, False])
    w.case("bce_logits_large", lambda x, y: F.binary_cross_entropy_with_logits(x, y, reduction="none"),
           [torch.tensor([-800.0, -40.0, 0.0, 40.0, 800.0]), torch.tensor([1.0, 1.0, 0.5, 0.0, 0.0])])

    def ce(**kw):
        def f(x, t, wt=None):
            return F.cross_entropy(x, t.long(), weight=wt, **kw)
        return f

    labels = torch.tensor([1.0, 0.0, 3.0, 3.0, 2.0])
    ignored = torch.tensor([1.0, -100.0, 3.0, -100.0, 2.0])
    cw = u(4) + 0.5
    no_grad2 = [True, False]
    no_grad3 = [True, False, False]
    for red in ("mean", "sum", "none"):
        w.case(f"ce_{red}", ce(reduction=red), [r(5, 4), labels], no_grad2)
        w.case(f"ce_weight_{red}", ce(reduction=red), [r(5, 4), labels, cw], no_grad3)
        w.case(f"ce_ignore_weight_{red}", ce(reduction=red), [r(5, 4), ignored, cw], no_grad3)
        w.case(f"ce_smoothing_{red}", ce(reduction=red, label_smoothing=0.1), [r(5, 4), labels], no_grad2)
        w.case(f"ce_smoothing_weight_ignore_{red}", ce(reduction=red, label_smoothing=0.2), [r(5, 4), ignored, cw], no_grad3)
        w.case(f"nll_{red}", lambda x, t, red=red: F.nll_loss(x, t.long(), reduction=red), [r(5, 4), labels], no_grad2)
        w.case(f"nll_weight_ignore_{red}", lambda x, t, wt, red=red: F.nll_loss(x, t.long(), weight=wt, reduction=red),
               [r(5, 4), ignored, cw], no_grad3)
        w.case(f"ce_probs_{red}", lambda x, q, red=red: F.cross_entropy(x, q, reduction=red),
               [r(5, 4), torch.softmax(r(5, 4), 1)])
    w.case("ce_ignore_mean", ce(), [r(5, 4), ignored], no_grad2)
    w.case("ce_ignore_index_custom", ce(ignore_index=3), [r(5, 4), labels], no_grad2)
    w.case("ce_smoothing_weight_mean", ce(label_smoothing=0.3), [r(5, 4), labels, cw], no_grad3)
    w.case("ce_3d_mean", ce(), [r(2, 4, 3), torch.tensor([[0.0, 3.0, 1.0], [2.0, 2.0, 0.0]])], no_grad2)
    w.case("ce_3d_weight_ignore_smoothing_none", ce(reduction="none", label_smoothing=0.1),
           [r(2, 4, 3), torch.tensor([[0.0, -100.0, 1.0], [2.0, 3.0, -100.0]]), cw], no_grad3)
    w.case("ce_1d", ce(), [r(5), torch.tensor(3.0)], no_grad2)
    w.case("ce_large_logits", ce(reduction="sum"), [r(3, 4) * 300, torch.tensor([0.0, 1.0, 2.0])], no_grad2)
    w.case("ce_probs_weight_smoothing_mean", lambda x, q, wt: F.cross_entropy(x, q, weight=wt, label_smoothing=0.2),
           [r(5, 4), torch.softmax(r(5, 4), 1), cw], [True, True, False])
    w.case("ce_probs_3d_sum", lambda x, q: F.cross_entropy(x, q, reduction="sum"), [r(2, 4, 3), torch.softmax(r(2, 4, 3), 1)])
    w.case("nll_weight_mean", lambda x, t, wt: F.nll_loss(x, t.long(), weight=wt), [r(5, 4), labels, cw], no_grad3)
    w.case("nll_ignore_mean", lambda x, t: F.nll_loss(x, t.long(), ignore_index=0), [r(5, 4), labels], no_grad2)
    w.case("nll_3d_mean", lambda x, t: F.nll_loss(x, t.long()), [r(2, 4, 3), torch.tensor([[0.0, 3.0, 1.0], [2.0, 2.0, 0.0]])], no_grad2)
    w.case("nll_1d", lambda x, t: F.nll_loss(x, t.long()), [r(4), torch.tensor(2.0)], no_grad2)
    w.write()


if __name__ == "__main__":
    layers()
    losses()
