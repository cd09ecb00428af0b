"""Reference values for MusicSSLTrain's optimizers and gradient clipping.

Run: /work/venv/bin/python Tests/FixtureGenerators/optimizers.py
Writes Tests/MusicSSLTrainTests/Fixtures/optimizers.safetensors.

Three parameters take five updates with given per-step gradients and learning rates; the
second parameter has no gradient at step 2 (torch skips it), the third has gradients of size
~1e-6 so that epsilon matters. Cases:
  adamw_torch    torch.optim.AdamW(betas=(0.9, 0.999), eps=1e-8, weight_decay=0.1)
  adam_fairseq   fairseq/optim/adam.py's update, written out below with float32 torch ops
                 (betas=(0.9, 0.98), eps=1e-6, weight_decay=0.01)
  sgd_momentum   torch.optim.SGD(momentum=0.9, weight_decay=0.01)
  sgd_nesterov   torch.optim.SGD(momentum=0.9, nesterov=True)
  sgd_plain      torch.optim.SGD(weight_decay=0.01)
Keys: initial.p{i}, grad.{step}.p{i}, lr (per step), then per case:
  {case}.hyper, {case}.final.p{i}, {case}.state.p{i}.{name}.
clip.*: torch.nn.utils.clip_grad_norm_ on three gradients, for a max_norm that clips and one
that does not.
"""

import math
import os

import numpy as np
import torch
from safetensors.torch import save_file

STEPS = 5
SHAPES = [(4, 3), (3,), (2, 1, 2)]
SKIPPED = (2, 1)  # (step, parameter) without a gradient


def f32(x):
    """Rounds a Python float to the nearest float32, so Swift reads exactly the value used."""
    return float(np.float32(x))


def fairseq_adam_step(params, grads, states, lr, betas, eps, weight_decay):
    """fairseq Adam.step for one param group (non-amsgrad, fp32)."""
    beta1, beta2 = betas
    for p, g, state in zip(params, grads, states):
        if g is None:
            continue
        if not state:
            state["step"] = 0
            state["exp_avg"] = torch.zeros_like(p)
            state["exp_avg_sq"] = torch.zeros_like(p)
        state["step"] += 1
        state["exp_avg"].mul_(beta1).add_(g, alpha=1 - beta1)
        state["exp_avg_sq"].mul_(beta2).addcmul_(g, g, value=1 - beta2)
        denom = state["exp_avg_sq"].sqrt().add_(eps)
        bias_correction1 = 1 - beta1 ** state["step"]
        bias_correction2 = 1 - beta2 ** state["step"]
        step_size = lr * math.sqrt(bias_correction2) / bias_correction1
        p.add_(p, alpha=-weight_decay * lr)
        p.addcdiv_(state["exp_avg"], denom, value=-step_size)


def main():
    generator = torch.Generator().manual_seed(20240611)
    out = {}
    initial = [torch.randn(s, generator=generator) for s in SHAPES]
    grads = []
    for step in range(STEPS):
        row = []
        for i, s in enumerate(SHAPES):
            g = torch.randn(s, generator=generator) * (1e-6 if i == 2 else 1.0)
            row.append(None if (step, i) == SKIPPED else g)
        grads.append(row)
    lrs = [f32(x) for x in [1e-2, 2e-2, 5e-3, 1e-2, 3e-2]]

    for i, p in enumerate(initial):
        out[f"initial.p{i}"] = p
    for step, row in enumerate(grads):
        for i, g in enumerate(row):
            if g is not None:
                out[f"grad.{step}.p{i}"] = g
    out["lr"] = torch.tensor(lrs)

    def run_torch(case, make, hyper, state_names):
        params = [torch.nn.Parameter(p.clone()) for p in initial]
        optimizer = make(params)
        for step in range(STEPS):
            for group in optimizer.param_groups:
                group["lr"] = lrs[step]
            for p, g in zip(params, grads[step]):
                p.grad = None if g is None else g.clone()
            optimizer.step()
        out[f"{case}.hyper"] = torch.tensor(hyper, dtype=torch.float32)
        for i, p in enumerate(params):
            out[f"{case}.final.p{i}"] = p.detach().clone()
            for name in state_names:
                value = optimizer.state[p][name]
                out[f"{case}.state.p{i}.{name}"] = torch.as_tensor(value, dtype=torch.float32).clone()

    adamw = dict(betas=(f32(0.9), f32(0.999)), eps=f32(1e-8), weight_decay=f32(0.1))
    run_torch(
        "adamw_torch",
        lambda ps: torch.optim.AdamW(ps, lr=lrs[0], foreach=False, **adamw),
        [*adamw["betas"], adamw["eps"], adamw["weight_decay"]],
        ["step", "exp_avg", "exp_avg_sq"])

    sgd_cases = {
        "sgd_momentum": dict(momentum=f32(0.9), weight_decay=f32(0.01), nesterov=False),
        "sgd_nesterov": dict(momentum=f32(0.9), weight_decay=0.0, nesterov=True),
        "sgd_plain": dict(momentum=0.0, weight_decay=f32(0.01), nesterov=False),
    }
    for case, kw in sgd_cases.items():
        run_torch(
            case,
            lambda ps, kw=kw: torch.optim.SGD(ps, lr=lrs[0], foreach=False, **kw),
            [kw["momentum"], kw["weight_decay"], float(kw["nesterov"])],
            ["momentum_buffer"] if kw["momentum"] > 0 else [])

    fairseq = dict(betas=(f32(0.9), f32(0.98)), eps=f32(1e-6), weight_decay=f32(0.01))
    params = [p.clone() for p in initial]
    states = [{} for _ in params]
    for step in range(STEPS):
        fairseq_adam_step(params, grads[step], states, lrs[step], **fairseq)
    out["adam_fairseq.hyper"] = torch.tensor(
        [*fairseq["betas"], fairseq["eps"], fairseq["weight_decay"]], dtype=torch.float32)
    for i, (p, state) in enumerate(zip(params, states)):
        out[f"adam_fairseq.final.p{i}"] = p
        out[f"adam_fairseq.state.p{i}.step"] = torch.tensor(float(state["step"]))
        out[f"adam_fairseq.state.p{i}.exp_avg"] = state["exp_avg"]
        out[f"adam_fairseq.state.p{i}.exp_avg_sq"] = state["exp_avg_sq"]

    clip_grads = [torch.randn(s, generator=generator) * scale
                  for s, scale in zip(SHAPES, [3.0, 0.5, 10.0])]
    max_norms = [f32(2.5), f32(1000.0)]
    out["clip.max_norm"] = torch.tensor(max_norms)
    for i, g in enumerate(clip_grads):
        out[f"clip.grad.p{i}"] = g
    for k, max_norm in enumerate(max_norms):
        params = [torch.nn.Parameter(torch.zeros(s)) for s in SHAPES]
        for p, g in zip(params, clip_grads):
            p.grad = g.clone()
        norm = torch.nn.utils.clip_grad_norm_(params, max_norm, foreach=False)
        out[f"clip.{k}.total_norm"] = norm.reshape(())
        for i, p in enumerate(params):
            out[f"clip.{k}.clipped.p{i}"] = p.grad.clone()

    path = os.path.join(os.path.dirname(__file__), "..", "MusicSSLTrainTests", "Fixtures",
                        "optimizers.safetensors")
    save_file({k: v.detach().contiguous().to(torch.float32) for k, v in out.items()}, path)
    print(f"wrote {len(out)} tensors to {os.path.normpath(path)}")


if __name__ == "__main__":
    main()
