"""Reference fixtures for the recurrent layers: RNN (tanh, relu), LSTM, GRU and their cells.

Writes tests/Nabla.Tests/Fixtures/rnn.json in the FixtureWriter format of fixturelib.py. Each case runs one module in
float64 and records its inputs in a fixed order, then every parameter in the module's registration order (which is
the state-dict order): x, h0, [c0], weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0, ..._reverse, weight_ih_l1 ...
Besides the usual fields, a case has the module's printout ("repr") and parameter names ("param_names").
The recorded output is the concatenation of every result flattened: output, h_n, [c_n]; a random gradient of it is
back-propagated, so every result gets a gradient. Case names carry the settings, which the C# test reads back:

  {rnn_tanh|rnn_relu|lstm|gru}_l{layers}_d{directions}_bf{batch_first}_b{bias}[_noh0]  padded batch (T=5, B=3, I=4, H=5)
  packed_{kind}_l{layers}_d{directions}   lengths [3, 5, 1, 4] (unsorted), input 1 holds them; the output is the
                                           padded output of pad_packed_sequence, then h_n, [c_n]
  unbatched_{kind}                         input (T, I), state (L D, H)
  cell_{kind}_b{bias}                      one step of RNNCell / LSTMCell / GRUCell on (B, I): h' [, c']

Run: /usr/bin/python3 tools/fixtures_rnn.py
"""
import torch
import torch.nn as nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from fixturelib import FixtureWriter, _tensor_json

torch.set_default_dtype(torch.float64)

T, B, I, H = 5, 3, 4, 5
KINDS = ["rnn_tanh", "rnn_relu", "lstm", "gru"]


def make_layer(kind, layers, bidirectional, batch_first, bias):
    args = dict(num_layers=layers, bidirectional=bidirectional, batch_first=batch_first, bias=bias)
    if kind == "lstm":
        return nn.LSTM(I, H, **args)
    if kind == "gru":
        return nn.GRU(I, H, **args)
    return nn.RNN(I, H, nonlinearity=kind[4:], **args)


def make_cell(kind, bias):
    if kind == "lstm":
        return nn.LSTMCell(I, H, bias=bias)
    if kind == "gru":
        return nn.GRUCell(I, H, bias=bias)
    return nn.RNNCell(I, H, bias=bias, nonlinearity=kind[4:])


def record(fx, name, module, inputs, requires_grad, run):
    """Records run(*inputs) -> tuple of results, with the module's parameters appended to the inputs."""
    assert name not in fx.names, name
    fx.names.add(name)
    with torch.no_grad():
        for p in module.parameters():
            # U(-0.8, 0.8): wider than the default init, so that the recurrent weights matter, yet short of saturating every gate.
            p.copy_(torch.rand(p.shape, generator=fx.gen) * 1.6 - 0.8)
    leaves = []
    for t, rg in zip(inputs, requires_grad):
        leaf = t.detach().clone()
        leaf.requires_grad_(rg)
        leaves.append(leaf)
    out = torch.cat([r.reshape(-1) for r in run(*leaves)])
    grad_out = torch.randn(out.shape, generator=fx.gen)
    out.backward(grad_out)
    params = list(module.parameters())
    fx.cases.append({
        "name": name,
        "repr": repr(module),
        "param_names": [n for n, _ in module.named_parameters()],
        "inputs": [dict(_tensor_json(t), requires_grad=rg) for t, rg in zip(leaves, requires_grad)]
                  + [dict(_tensor_json(p), requires_grad=True) for p in params],
        "grad_output": _tensor_json(grad_out),
        "output": _tensor_json(out),
        "grads": [_tensor_json(t.grad) if rg else None for t, rg in zip(leaves, requires_grad)]
                 + [_tensor_json(p.grad) for p in params],
    })


def states(fx, kind, layers, directions, batch):
    shape = (layers * directions, batch, H) if batch else (layers * directions, H)
    h0 = fx.randn(*shape)
    return [h0, fx.randn(*shape)] if kind == "lstm" else [h0]


def run_layer(module, kind, x, state):
    if kind == "lstm":
        out, (h, c) = module(x, tuple(state) if state else None)
        return out, h, c
    out, h = module(x, state[0] if state else None)
    return out, h


def layer_cases(fx):
    for kind in KINDS:
        for layers, directions, batch_first, bias in [(1, 1, 0, 1), (2, 1, 0, 1), (1, 2, 0, 1), (2, 2, 1, 1), (1, 1, 1, 0), (2, 2, 0, 0)]:
            name = f"{kind}_l{layers}_d{directions}_bf{batch_first}_b{bias}"
            module = make_layer(kind, layers, directions == 2, bool(batch_first), bool(bias))
            x = fx.randn(B, T, I) if batch_first else fx.randn(T, B, I)
            state = states(fx, kind, layers, directions, B)
            record(fx, name, module, [x] + state, [True] * (1 + len(state)),
                   lambda x, *s, m=module, k=kind: run_layer(m, k, x, list(s)))
        # Without an initial state (zeros).
        module = make_layer(kind, 2, True, False, True)
        record(fx, f"{kind}_l2_d2_bf0_b1_noh0", module, [fx.randn(T, B, I)], [True],
               lambda x, m=module, k=kind: run_layer(m, k, x, None))


def packed_cases(fx):
    lengths = torch.tensor([3, 5, 1, 4])
    for kind in KINDS:
        for layers, directions in [(1, 1), (1, 2), (2, 2)]:
            module = make_layer(kind, layers, directions == 2, False, True)
            x = fx.randn(5, 4, I)
            state = states(fx, kind, layers, directions, 4)

            def run(x, lengths_in, *s, m=module, k=kind):
                packed = pack_padded_sequence(x, lengths, enforce_sorted=False)
                results = run_layer(m, k, packed, list(s))
                padded, _ = pad_packed_sequence(results[0])
                return (padded,) + tuple(results[1:])

            record(fx, f"packed_{kind}_l{layers}_d{directions}", module, [x, lengths.double()] + state,
                   [True, False] + [True] * len(state), run)


def unbatched_cases(fx):
    for kind in KINDS:
        module = make_layer(kind, 2, True, False, True)
        state = states(fx, kind, 2, 2, None)
        record(fx, f"unbatched_{kind}", module, [fx.randn(T, I)] + state, [True] * (1 + len(state)),
               lambda x, *s, m=module, k=kind: run_layer(m, k, x, list(s)))


def cell_cases(fx):
    for kind in KINDS:
        for bias in (1, 0):
            module = make_cell(kind, bool(bias))
            x, h = fx.randn(B, I), fx.randn(B, H)
            if kind == "lstm":
                record(fx, f"cell_{kind}_b{bias}", module, [x, h, fx.randn(B, H)], [True] * 3,
                       lambda x, h, c, m=module: m(x, (h, c)))
            else:
                record(fx, f"cell_{kind}_b{bias}", module, [x, h], [True] * 2, lambda x, h, m=module: (m(x, h),))


def main():
    fx = FixtureWriter("rnn.json", seed=11)
    layer_cases(fx)
    packed_cases(fx)
    unbatched_cases(fx)
    cell_cases(fx)
    fx.write()


if __name__ == "__main__":
    main()
