"""Reference trajectories for Nabla.Optim: optimizers, LR schedulers and gradient clipping, run in PyTorch.

Writes tests/Nabla.Tests/Fixtures/optim.json:
  optimizers: each configuration runs STEPS steps (float64, single-tensor code path) on four parameters
      (shapes (4, 5), (37,), () and (3,), so SIMD bodies and tails both run). The gradient at each step
      comes from a fixed quadratic plus noise whose scale changes from step to step (so AMSGrad's maximum
      and RMSprop's averages matter); parameter 3 has no gradient at some steps (it must be skipped).
      Recorded: the initial values, every step's gradients (null = no gradient) and the values after
      every step. The C# tests feed the same gradients and compare the parameters after each step.
  schedulers: the learning rate of each of two parameter groups (and the cycled momentum or beta1) after
      construction and after each step; ReduceLROnPlateau with a fixed metric sequence.
  clipping: clip_grad_norm_ (returned total norm and clipped gradients) for several norms, and clip_grad_value_.

Run with Debian's PyTorch: /usr/bin/python3 tools/fixtures_optim.py
"""
import json
import math
import os

import torch

from fixturelib import FIXTURE_DIR

STEPS = 8
SHAPES = [(4, 5), (37,), (), (3,)]
NOISE_SCALE = [1.0, 3.0, 0.2, 1.0, 0.1, 2.0, 0.3, 0.5]
NO_GRAD_STEPS = {2, 5}  # parameter 3 gets no gradient at these steps

gen = torch.Generator().manual_seed(1234)


def randn(*shape):
    return torch.randn(tuple(shape), generator=gen, dtype=torch.float64)


def tensor_json(t):
    t = t.detach().to(torch.float64).contiguous()
    return {"shape": list(t.shape), "data": [float(v) for v in t.reshape(-1).tolist()]}


# The fixed problem: loss = sum_k 0.5 * scale_k * ||p_k - target_k||^2, plus per-step noise on the gradients.
INITIAL = [randn(*s) for s in SHAPES]
TARGETS = [randn(*s) for s in SHAPES]
CURVATURE = [0.5, 1.5, 2.0, 0.8]
NOISE = [[randn(*s) for s in SHAPES] for _ in range(STEPS)]


def gradients(params, step):
    grads = []
    for k, p in enumerate(params):
        if k == 3 and step in NO_GRAD_STEPS:
            grads.append(None)
        else:
            grads.append(CURVATURE[k] * (p.detach() - TARGETS[k]) + NOISE_SCALE[step] * NOISE[step][k])
    return grads


def run_optimizer(cls, kwargs, groups):
    params = [p.clone().requires_grad_(True) for p in INITIAL]
    if groups is None:
        opt = cls(params, foreach=False, **kwargs)
    else:
        opt = cls([dict(params=[params[i] for i in g["params"]], **g["options"]) for g in groups], foreach=False, **kwargs)
    grads_log, params_log = [], []
    for step in range(STEPS):
        grads = gradients(params, step)
        for p, g in zip(params, grads):
            p.grad = None if g is None else g.clone()
        opt.step()
        grads_log.append([None if g is None else tensor_json(g) for g in grads])
        params_log.append([tensor_json(p) for p in params])
    return grads_log, params_log


OPTIMIZERS = [
    ("sgd_plain", "SGD", dict(lr=0.1), None),
    ("sgd_momentum", "SGD", dict(lr=0.05, momentum=0.9), None),
    ("sgd_dampening", "SGD", dict(lr=0.05, momentum=0.9, dampening=0.3), None),
    ("sgd_nesterov", "SGD", dict(lr=0.05, momentum=0.8, nesterov=True), None),
    ("sgd_weight_decay", "SGD", dict(lr=0.1, weight_decay=0.05), None),
    ("sgd_maximize", "SGD", dict(lr=0.02, maximize=True), None),
    ("sgd_all", "SGD", dict(lr=0.05, momentum=0.9, weight_decay=0.01, nesterov=True, maximize=True), None),
    ("sgd_momentum_dampening_decay", "SGD", dict(lr=0.03, momentum=0.7, dampening=0.5, weight_decay=0.1), None),
    ("sgd_groups", "SGD", dict(lr=0.1, momentum=0.9),
     [dict(params=[0, 1], options={}), dict(params=[2, 3], options=dict(lr=0.01, momentum=0.5, nesterov=True))]),
    ("adam_default", "Adam", dict(lr=0.01), None),
    ("adam_betas_eps", "Adam", dict(lr=0.02, betas=(0.8, 0.95), eps=1e-3), None),
    ("adam_weight_decay", "Adam", dict(lr=0.01, weight_decay=0.1), None),
    ("adam_amsgrad", "Adam", dict(lr=0.01, betas=(0.9, 0.6), amsgrad=True), None),
    ("adam_maximize", "Adam", dict(lr=0.01, maximize=True), None),
    ("adam_all", "Adam", dict(lr=0.02, betas=(0.85, 0.6), eps=1e-6, weight_decay=0.05, amsgrad=True, maximize=True), None),
    ("adam_groups", "Adam", dict(lr=0.01),
     [dict(params=[0, 2], options=dict(betas=(0.5, 0.7))), dict(params=[1, 3], options=dict(lr=0.03, amsgrad=True, weight_decay=0.2))]),
    ("adamw_default", "AdamW", dict(lr=0.01), None),
    ("adamw_amsgrad", "AdamW", dict(lr=0.01, betas=(0.9, 0.6), weight_decay=0.1, amsgrad=True), None),
    ("adamw_maximize", "AdamW", dict(lr=0.02, betas=(0.85, 0.99), weight_decay=0.05, maximize=True), None),
    ("rmsprop_default", "RMSprop", dict(lr=0.01), None),
    ("rmsprop_centered", "RMSprop", dict(lr=0.01, centered=True), None),
    ("rmsprop_momentum", "RMSprop", dict(lr=0.01, momentum=0.9), None),
    ("rmsprop_alpha_eps", "RMSprop", dict(lr=0.02, alpha=0.5, eps=1e-2), None),
    ("rmsprop_all", "RMSprop", dict(lr=0.01, alpha=0.9, eps=1e-6, weight_decay=0.05, momentum=0.8, centered=True, maximize=True), None),
    ("adagrad_default", "Adagrad", dict(lr=0.1), None),
    ("adagrad_lr_decay", "Adagrad", dict(lr=0.1, lr_decay=0.1), None),
    ("adagrad_decay_init", "Adagrad", dict(lr=0.1, weight_decay=0.05, initial_accumulator_value=0.5), None),
    ("adagrad_all", "Adagrad", dict(lr=0.2, lr_decay=0.05, weight_decay=0.1, initial_accumulator_value=0.1, eps=1e-5, maximize=True), None),
]


def option_json(options):
    return {k: (list(v) if isinstance(v, tuple) else v) for k, v in options.items()}


def optimizer_cases():
    cases = []
    for name, cls_name, kwargs, groups in OPTIMIZERS:
        cls = getattr(torch.optim, cls_name)
        grads, params = run_optimizer(cls, kwargs, groups)
        if "amsgrad" in kwargs:
            # The configuration must be one where AMSGrad's maximum changes the result.
            _, plain = run_optimizer(cls, dict(kwargs, amsgrad=False), groups)
            assert plain[-1] != params[-1], f"{name}: amsgrad makes no difference on this problem"
        cases.append({
            "name": name, "optimizer": cls_name, "options": option_json(kwargs),
            "groups": None if groups is None else [dict(params=g["params"], options=option_json(g["options"])) for g in groups],
            "initial": [tensor_json(p) for p in INITIAL], "grads": grads, "params": params,
        })
    return cases


# ----- schedulers -----

PLATEAU_METRICS = [1.0, 0.9, 0.85, 0.86, 0.85, 0.849, 0.9, 0.95, 0.7, 0.7, 0.7, 0.7, 0.69995, 0.6, 0.61, 0.62,
                   0.63, 0.64, 0.65, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]
PLATEAU_MAX_METRICS = [0.1, 0.2, 0.205, 0.21, 0.3, 0.3, 0.305, 0.4, 0.4, 0.4, 0.45, 0.44, 0.43, 0.5, 0.5, 0.5,
                       0.5, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.61, 0.62, 0.625, 0.63, 0.6, 0.6, 0.6, 0.6, 0.6]

SCHEDULERS = [
    ("step_lr", "StepLR", dict(step_size=3, gamma=0.5), "SGD", dict(lr=0.1, momentum=0.9), 30, None),
    ("exponential_lr", "ExponentialLR", dict(gamma=0.9), "SGD", dict(lr=0.1), 30, None),
    ("cosine_annealing", "CosineAnnealingLR", dict(T_max=10, eta_min=0.001), "SGD", dict(lr=0.1), 45, None),
    ("cosine_annealing_eta0", "CosineAnnealingLR", dict(T_max=7), "Adam", dict(lr=0.01), 32, None),
    ("one_cycle_sgd_cos", "OneCycleLR", dict(max_lr=0.5, total_steps=40), "SGD", dict(lr=0.1, momentum=0.9), 40, None),
    ("one_cycle_adam_linear", "OneCycleLR", dict(max_lr=0.01, total_steps=30, pct_start=0.25, anneal_strategy="linear"),
     "Adam", dict(lr=0.001), 30, None),
    ("one_cycle_three_phase", "OneCycleLR", dict(max_lr=0.2, total_steps=35, three_phase=True, div_factor=10.0,
                                                  final_div_factor=100.0, base_momentum=0.8, max_momentum=0.9),
     "SGD", dict(lr=0.1, momentum=0.9), 35, None),
    ("one_cycle_rmsprop", "OneCycleLR", dict(max_lr=0.05, total_steps=32, pct_start=0.4), "RMSprop", dict(lr=0.01), 32, None),
    ("one_cycle_no_momentum", "OneCycleLR", dict(max_lr=0.3, total_steps=31, cycle_momentum=False), "Adagrad", dict(lr=0.1), 31, None),
    ("plateau_min_rel", "ReduceLROnPlateau", dict(factor=0.5, patience=2, cooldown=1, min_lr=0.002), "SGD", dict(lr=0.1), None, PLATEAU_METRICS),
    ("plateau_max_abs", "ReduceLROnPlateau", dict(mode="max", factor=0.3, patience=1, threshold=0.01, threshold_mode="abs"),
     "SGD", dict(lr=0.1), None, PLATEAU_MAX_METRICS),
    ("plateau_min_abs_eps", "ReduceLROnPlateau", dict(factor=0.1, patience=0, threshold=0.001, threshold_mode="abs", min_lr=1e-4, eps=1e-3),
     "Adam", dict(lr=0.05), None, PLATEAU_METRICS),
    ("plateau_max_rel_cooldown", "ReduceLROnPlateau", dict(mode="max", factor=0.7, patience=3, cooldown=4, threshold=0.05),
     "SGD", dict(lr=0.1), None, PLATEAU_MAX_METRICS),
]

GROUP_LRS = [1.0, 0.2]  # the two groups' learning rates, as multiples of the optimizer's lr


def momentum_of(group):
    if "betas" in group:
        return group["betas"][0]
    return group.get("momentum")


def scheduler_cases():
    cases = []
    for name, cls_name, kwargs, opt_name, opt_kwargs, steps, metrics in SCHEDULERS:
        a, b = torch.zeros(2, dtype=torch.float64, requires_grad=True), torch.zeros(3, dtype=torch.float64, requires_grad=True)
        lr = opt_kwargs["lr"]
        opt = getattr(torch.optim, opt_name)([dict(params=[a], lr=lr * GROUP_LRS[0]), dict(params=[b], lr=lr * GROUP_LRS[1])],
                                             **opt_kwargs)
        sched = getattr(torch.optim.lr_scheduler, cls_name)(opt, **kwargs)
        cycles = cls_name == "OneCycleLR" and kwargs.get("cycle_momentum", True)
        lrs = [[g["lr"] for g in opt.param_groups]]
        moms = [[momentum_of(g) for g in opt.param_groups]] if cycles else None
        for i in range(steps if metrics is None else len(metrics)):
            opt.step()
            if metrics is None:
                sched.step()
            else:
                sched.step(metrics[i])
            lrs.append([g["lr"] for g in opt.param_groups])
            if cycles:
                moms.append([momentum_of(g) for g in opt.param_groups])
        if cls_name == "OneCycleLR":
            try:
                sched.step()
                raise AssertionError("OneCycleLR should refuse a step past total_steps")
            except ValueError:
                pass
        cases.append({"name": name, "scheduler": cls_name, "options": kwargs, "optimizer": opt_name,
                      "optimizer_options": opt_kwargs, "group_lr_factors": GROUP_LRS, "metrics": metrics,
                      "lr": lrs, "momentum": moms})
    return cases


# ----- gradient clipping -----

def clip_cases():
    cases = []
    grads = [randn(4, 5) * 0.3, randn(37) * 2.0, randn() * 5.0, randn(3) * 0.1]
    configs = [("norm2_clipped", 1.0, 2.0), ("norm2_unclipped", 100.0, 2.0), ("norm1", 2.0, 1.0),
               ("norm_inf", 0.5, math.inf), ("norm3", 1.5, 3.0), ("norm_half", 10.0, 0.5)]
    for name, max_norm, norm_type in configs:
        params = [torch.zeros_like(g, requires_grad=True) for g in grads]
        for k, (p, g) in enumerate(zip(params, grads)):
            p.grad = None if k == 1 and name == "norm3" else g.clone()  # norm3: one parameter without a gradient
        total = torch.nn.utils.clip_grad_norm_(params, max_norm, norm_type)
        cases.append({"name": name, "kind": "norm", "max_norm": max_norm, "norm_type": "inf" if math.isinf(norm_type) else norm_type,
                      "grads": [None if p.grad is None else tensor_json(g) for p, g in zip(params, grads)],
                      "total_norm": float(total),
                      "clipped": [None if p.grad is None else tensor_json(p.grad) for p in params]})
    params = [torch.zeros_like(g, requires_grad=True) for g in grads]
    for p, g in zip(params, grads):
        p.grad = g.clone()
    torch.nn.utils.clip_grad_value_(params, 0.25)
    cases.append({"name": "value_0.25", "kind": "value", "clip_value": 0.25,
                  "grads": [tensor_json(g) for g in grads], "clipped": [tensor_json(p.grad) for p in params]})
    return cases


def main():
    result = {"torch_version": torch.__version__, "steps": STEPS,
              "optimizers": optimizer_cases(), "schedulers": scheduler_cases(), "clipping": clip_cases()}
    path = os.path.join(FIXTURE_DIR, "optim.json")
    with open(path, "w") as f:
        json.dump(result, f, separators=(",", ":"))
    print(f"wrote {len(result['optimizers'])} optimizer, {len(result['schedulers'])} scheduler and "
          f"{len(result['clipping'])} clipping cases to {os.path.relpath(path)}")


if __name__ == "__main__":
    main()
